// Attention's split of the fused QKV projection into heads as one JS pass over tensor memory on the
// wasm and cpu backends (hostMemory.ts). As tf ops (HF modeling_bert.py BertSelfAttention's
// `transpose_for_scores` after tfjs's split) it is SplitV, which on tfjs-wasm reads its whole input
// once per output, then three Transpose kernels (a scalar loop on tfjs-wasm); the backward pass is
// the same in reverse (three Transposes and a Concat). Here a kernel with three outputs does the
// forward, and its registered gradient writes dq, dk and dv into one [B, T, 3H] gradient. A kernel
// rather than tf.customGrad because customGrad records one output per tape node, and three ops on
// the same input would add three full-size gradients together. It is pure data movement, so values
// and gradients are the tf ops' bit for bit (tests/unit/model/hostHeads.test.ts). GPU backends keep
// the tf ops.
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { activeHostMemory, hostMemoryOf } from '../hostMemory';

export const SPLIT_HEADS = 'BertSplitHeads';
const MERGE_HEADS = 'BertMergeHeads';
const HOST_BACKENDS = ['wasm', 'cpu'] as const;

interface HeadsAttrs {
  numHeads: number;
  /** K as [B, nH, d, T] instead of [B, nH, T, d]. */
  keyTransposed: boolean;
}

function headsAttrs(attrs: NamedAttrMap | undefined): HeadsAttrs {
  const a = attrs as unknown as HeadsAttrs;
  return { numHeads: a.numHeads, keyTransposed: a.keyTransposed };
}

/**
 * Copies between the fused [B, T, 3H] layout and the three head layouts, forward (`toHeads`) or
 * back. Q and V (and K untransposed) move in d-long runs, transposed K element by element. On
 * wasm all tensors are views of one heap, and copyWithin on a view of the whole heap moves a run
 * without the subarray object that `set` would need per run (3.7 against 6-7 ms for the [32, 128,
 * 768] split, Node 22, against 6.3 ms for an element loop).
 */
function moveHeads(
  fused: Float32Array,
  heads: [Float32Array, Float32Array, Float32Array],
  shape: number[],
  { numHeads: nH, keyTransposed }: HeadsAttrs,
  toHeads: boolean,
): void {
  const [b, t, h3] = shape as [number, number, number];
  const h = h3 / 3;
  const d = h / nH;
  for (let c = 0; c < 3; c++) {
    const part = heads[c]!;
    const transposed = c === 1 && keyTransposed;
    // Whole-buffer view and the two arrays' offsets in it, when both live in one buffer.
    const heap = !transposed && part.buffer === fused.buffer ? new Float32Array(fused.buffer) : null;
    const fusedBase = fused.byteOffset >> 2;
    const partBase = part.byteOffset >> 2;
    for (let bi = 0; bi < b; bi++) {
      for (let hi = 0; hi < nH; hi++) {
        const headAt = (bi * nH + hi) * t * d; // start of [bi, hi] in the head layout
        let fusedAt = bi * t * h3 + c * h + hi * d; // [bi, 0, c, hi, 0] in the fused layout
        for (let ti = 0; ti < t; ti++, fusedAt += h3) {
          if (transposed) {
            if (toHeads) for (let j = 0, at = headAt + ti; j < d; j++, at += t) part[at] = fused[fusedAt + j]!;
            else for (let j = 0, at = headAt + ti; j < d; j++, at += t) fused[fusedAt + j] = part[at]!;
          } else if (heap) {
            const f = fusedBase + fusedAt;
            const p = partBase + headAt + ti * d;
            if (toHeads) heap.copyWithin(p, f, f + d);
            else heap.copyWithin(f, p, p + d);
          } else {
            const at = headAt + ti * d;
            if (toHeads) for (let j = 0; j < d; j++) part[at + j] = fused[fusedAt + j]!;
            else for (let j = 0; j < d; j++) fused[fusedAt + j] = part[at + j]!;
          }
        }
      }
    }
  }
}

function headShapes(shape: number[], { numHeads, keyTransposed }: HeadsAttrs): [number[], number[]] {
  const [b, t, h3] = shape as [number, number, number];
  const d = h3 / 3 / numHeads;
  return [[b, numHeads, t, d], keyTransposed ? [b, numHeads, d, t] : [b, numHeads, t, d]];
}

function splitKernel(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const a = headsAttrs(attrs);
    const [qShape, kShape] = headShapes(x.shape, a);
    const mem = hostMemoryOf(backend, backendName);
    // Every view is taken after the last allocation (a wasm allocation can detach earlier views).
    const q = mem.alloc(qShape, 'float32', []).out;
    const k = mem.alloc(kShape, 'float32', []).out;
    const v = mem.alloc(qShape, 'float32', []).out;
    const [src, ...dst] = mem.views([x, q, k, v]) as Float32Array[];
    moveHeads(src!, dst as [Float32Array, Float32Array, Float32Array], x.shape, a, true);
    return [q, k, v];
  };
}

function mergeKernel(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const parts = [inputs.dq, inputs.dk, inputs.dv] as TensorInfo[];
    const a = headsAttrs(attrs);
    const [b, nH, t, d] = parts[0]!.shape as [number, number, number, number];
    const shape = [b, t, 3 * nH * d];
    const { out, views } = hostMemoryOf(backend, backendName).alloc(shape, 'float32', parts);
    const [dst, ...src] = views as Float32Array[];
    moveHeads(dst!, src as [Float32Array, Float32Array, Float32Array], shape, a, false);
    return out;
  };
}

let registered = false;

function register(): void {
  if (registered) return;
  for (const backendName of HOST_BACKENDS) {
    if (!tf.getKernel(SPLIT_HEADS, backendName))
      tf.registerKernel({ kernelName: SPLIT_HEADS, backendName, kernelFunc: splitKernel(backendName) });
    if (!tf.getKernel(MERGE_HEADS, backendName))
      tf.registerKernel({ kernelName: MERGE_HEADS, backendName, kernelFunc: mergeKernel(backendName) });
  }
  if (!tf.getGradient(SPLIT_HEADS))
    tf.registerGradient({
      kernelName: SPLIT_HEADS,
      // An output without a gradient arrives as zeros (engine.ts addTapeNode), so dys has all three.
      gradFunc: (dys, _saved, attrs) => {
        const [dq, dk, dv] = dys as tf.Tensor[];
        return { x: () => tf.engine().runKernel(MERGE_HEADS, { dq: dq!, dk: dk!, dv: dv! }, attrs) as tf.Tensor };
      },
    });
  registered = true;
}

/** The tf-op form: split, then [B, T, nH, d] -> [B, nH, T, d] (K -> [B, nH, d, T] if keyTransposed). */
function splitHeadsOps(qkv: tf.Tensor, numHeads: number, keyTransposed: boolean): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const [b, t, h3] = qkv.shape as [number, number, number];
  const d = h3 / 3 / numHeads;
  const [q, k, v] = tf.split(qkv, 3, 2) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const heads = (x: tf.Tensor, perm: number[]) => tf.transpose(x.reshape([b, t, numHeads, d]), perm);
  return [heads(q, [0, 2, 1, 3]), heads(k, keyTransposed ? [0, 2, 3, 1] : [0, 2, 1, 3]), heads(v, [0, 2, 1, 3])];
}

/**
 * Fused QKV [B, T, 3H] -> q [B, nH, T, d], k [B, nH, T, d] (or [B, nH, d, T] when keyTransposed),
 * v [B, nH, T, d], with the gradient of the tf ops (split + reshape + transpose).
 */
export function splitHeads(
  qkv: tf.Tensor,
  numHeads: number,
  keyTransposed: boolean,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const h3 = qkv.shape[2] ?? 0;
  if (!activeHostMemory() || qkv.rank !== 3 || qkv.dtype !== 'float32' || h3 % (3 * numHeads) !== 0)
    return splitHeadsOps(qkv, numHeads, keyTransposed);
  register();
  const attrs: HeadsAttrs = { numHeads, keyTransposed };
  return tf.engine().runKernel(SPLIT_HEADS, { x: qkv }, attrs as unknown as NamedAttrMap) as [
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
  ];
}
