// Kernels that tfjs lacks (or has unusable versions of) for training BERT on CPU-class backends.
// See BROWSER.md "Known gaps" 1-2: the gradient of tf.gather (the embedding lookup) calls
// UnsortedSegmentSum, which wasm does not implement (tfjs issue #8082) and which the cpu backend
// implements by looping over every segment with intermediate tensors (OOM at vocab 30,522).
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

const TRAINING_BACKENDS = ['cpu', 'wasm'] as const;
const registered = new Set<string>();

/**
 * Scatter-adds rows of `x` ([N, ...inner]) into a zero buffer of `numSegments` rows by
 * `segmentIds` ([N]). Ids outside [0, numSegments) are dropped, as TF does for negative ids.
 */
const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = inputs.x as TensorInfo;
  const segmentIds = inputs.segmentIds as TensorInfo;
  const numSegments = (attrs as { numSegments: number }).numSegments;
  if (segmentIds.shape.length !== 1 || segmentIds.shape[0] !== x.shape[0]) {
    throw new Error(`UnsortedSegmentSum: segmentIds shape [${segmentIds.shape.join(', ')}] must be [${x.shape[0]}]`);
  }
  const b = backend as tf.KernelBackend;
  const values = b.readSync(x.dataId) as Float32Array | Int32Array;
  const ids = b.readSync(segmentIds.dataId) as Int32Array | Float32Array;
  const inner = x.shape.slice(1).reduce((a, d) => a * d, 1);
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i]!;
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let k = 0; k < inner; k++) out[dst + k]! += values[src + k]!;
  }
  const shape = [numSegments, ...x.shape.slice(1)];
  return { dataId: b.write(out, shape, x.dtype), shape, dtype: x.dtype };
};

/**
 * Registers the training kernels on the cpu and wasm backends (replacing cpu's own
 * UnsortedSegmentSum). Idempotent; call before the first training step. Backends that are not
 * loaded yet still get the kernel: tfjs looks kernels up by name when they run.
 */
export function registerTrainingKernels(): void {
  for (const backendName of TRAINING_BACKENDS) {
    if (registered.has(backendName)) continue;
    const existing = tf.getKernel('UnsortedSegmentSum', backendName);
    if (existing) tf.unregisterKernel('UnsortedSegmentSum', backendName);
    const config: KernelConfig = { kernelName: 'UnsortedSegmentSum', backendName, kernelFunc: unsortedSegmentSum };
    tf.registerKernel(config);
    registered.add(backendName);
  }
}
