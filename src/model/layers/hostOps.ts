// The embedding lookup as a JS row copy over tensor memory on the wasm and cpu backends
// (hostMemory.ts), with tf.gather's gradient. tfjs-wasm's GatherV2 copies element by element: 16
// cpu-ms for BERT-Tiny's [30522, 128] table at 32x128 ids, against 2 ms here (bench/abProbe.ts).
// GPU backends keep tf.gather. (An erf-GELU written the same way was slower than tfjs-wasm's
// kernels, 95 vs 70 cpu-ms forward + backward on [32, 128, 512], so GELU stays as tf ops.)
import * as tf from '@tensorflow/tfjs';
import { activeHostMemory, tensorOf } from '../hostMemory';

/** table[ids] for table [V, H], ids int32 of any shape -> [...ids.shape, H]; gradient as tf.gather's. */
const gatherRowsOp = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [table, ids, save] = args as [tf.Tensor2D, tf.Tensor, tf.GradSaveFunc];
  save([ids]);
  const [v, h] = table.shape;
  const mem = activeHostMemory()!;
  const { out, views } = mem.alloc([ids.size, h], 'float32', [table, ids]);
  const [dst, src, idx] = views as [Float32Array, Float32Array, Int32Array];
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i]!;
    if (!(r >= 0 && r < v)) throw new Error(`embedding lookup: id ${r} is not in [0, ${v - 1}]`);
    dst.set(src.subarray(r * h, r * h + h), i * h);
  }
  return {
    value: tf.tidy(() => tensorOf(out).reshape([...ids.shape, h])),
    // tf.gather's gradient: scatter-add the rows back (UnsortedSegmentSum, kernels.ts).
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.tidy(() => {
        const sids = saved[0]!;
        return [tf.unsortedSegmentSum(dy.reshape([-1, h]), sids.reshape([-1]) as tf.Tensor1D, v), tf.zerosLike(sids)];
      }),
  };
}) as (table: tf.Tensor2D, ids: tf.Tensor) => tf.Tensor;

/** Embedding lookup: table [V, H], ids int32 [...] -> [..., H]. */
export function gatherRows(table: tf.Tensor, ids: tf.Tensor): tf.Tensor {
  if (!activeHostMemory() || table.rank !== 2 || ids.dtype !== 'int32') return tf.gather(table, ids);
  return gatherRowsOp(table as tf.Tensor2D, ids);
}
