// Batched matmul on tfjs-wasm as one XNNPACK GEMM per batch entry, run on views of the operands in
// the wasm heap. tfjs-wasm sends BatchMatMul to XNNPACK only when the batch is 1; with a batch (B x
// heads in attention) it runs a scalar blocked loop (tfjs-backend-wasm src/cc/batch_mat_mul_impl.cc
// `slow_batch_matmul`, ~2 GFLOP/s). Slicing the batch apart with tf ops would copy the whole tensor
// per slice (the wasm Slice kernel starts with readSync of its input). Instead, each batch entry of
// a, b and the output is registered with the wasm module as a tensor of its own at an offset into
// the parent's memory (the same `register_tensor` call tfjs uses for every tensor), the stock
// BatchMatMul kernel runs on those ids, and the views are dropped again. Dropping a view also frees
// the XNNPACK operator tfjs cached for it (keyed by the weight tensor's id).
// With tfjs-wasm threads, each of those small GEMMs is split over the pool with its own barrier.
// With 2 threads on an otherwise idle 2-core machine they still win (Chromium, fwd + bwd: BERT-Mini
// 2.19-2.23 s against 2.40-2.49 s, BERT-Tiny 331-345 ms against 361-413 ms), but when other jobs
// deschedule a pool thread every barrier waits (Mini 6.4-8.0 s against 4.4-4.5 s at load ~4). For
// larger pools, not measured here, the older form is kept: the whole batch as ONE depthwise
// convolution (one XNNPACK operator, one pool dispatch).
import * as tf from '@tensorflow/tfjs';
import type { DataType, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

/** The parts of tfjs-wasm's BackendWasm used here (backend_wasm.ts; not in the package's types). */
interface WasmBackend {
  wasm: {
    cwrap(name: string, ret: null, args: string[]): (...args: Array<number | Uint8Array | boolean>) => void;
    tfjs: {
      registerTensor(id: number, size: number, memoryOffset: number): void;
      disposeData(id: number): void;
      getThreadsCount(): number;
    };
  };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

export const BATCHED_GEMM = 'BertBatchedGemm';

// tfjs-wasm's own BatchMatMul entry point (kernels/BatchMatMul.ts declares the same signature):
// a id, a shape bytes, a rank, b id, b shape bytes, b rank, transposeA, transposeB, out id.
const BATCH_MAT_MUL_ARGS = ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number'];
let wasmBatchMatMul: ReturnType<WasmBackend['wasm']['cwrap']> | null = null;
let wrappedFor: WasmBackend | null = null;

const shapeBytes = (shape: number[]) => new Uint8Array(new Int32Array(shape).buffer);

/** out[c] = a[c] @ b[c] for a [C, M, K], b [C, K, N] -> [C, M, N]. */
const batchedGemmKernel: KernelFunc = ({ inputs, backend }) => {
  const a = inputs.a as TensorInfo;
  const b = inputs.b as TensorInfo;
  const [c, m, k] = a.shape as [number, number, number];
  const [cb, kb, n] = b.shape as [number, number, number];
  if (a.shape.length !== 3 || b.shape.length !== 3 || cb !== c || kb !== k)
    throw new Error(`${BATCHED_GEMM}: shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] do not multiply`);
  const be = backend as unknown as WasmBackend;
  if (wrappedFor !== be) {
    wasmBatchMatMul = be.wasm.cwrap('BatchMatMul', null, BATCH_MAT_MUL_ARGS);
    wrappedFor = be;
  }
  const out = be.makeOutput([c, m, n], 'float32');
  const offset = (t: TensorInfo) => be.dataIdMap.get(t.dataId)!.memoryOffset;
  const [aAt, bAt, outAt] = [offset(a), offset(b), offset(out)];
  const aShape = shapeBytes([1, m, k]);
  const bShape = shapeBytes([1, k, n]);
  const { registerTensor, disposeData } = be.wasm.tfjs;
  for (let i = 0; i < c; i++) {
    const ids = [be.dataIdNextNumber++, be.dataIdNextNumber++, be.dataIdNextNumber++] as const;
    registerTensor(ids[0], m * k, aAt + 4 * i * m * k);
    registerTensor(ids[1], k * n, bAt + 4 * i * k * n);
    registerTensor(ids[2], m * n, outAt + 4 * i * m * n);
    wasmBatchMatMul!(ids[0], aShape, 3, ids[1], bShape, 3, 0, 0, ids[2]);
    for (const id of ids) disposeData(id);
  }
  return out;
};

let registered = false;

/** Registers the kernel on the wasm backend (idempotent; tfjs looks kernels up when they run). */
export function registerBatchedGemm(): void {
  if (registered) return;
  if (!tf.getKernel(BATCHED_GEMM, 'wasm'))
    tf.registerKernel({ kernelName: BATCHED_GEMM, backendName: 'wasm', kernelFunc: batchedGemmKernel });
  registered = true;
}

function gemm(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  registerBatchedGemm();
  return tf.engine().runKernel(BATCHED_GEMM, { a, b }) as tf.Tensor3D;
}

const swapLast2 = (x: tf.Tensor3D) => tf.transpose(x, [0, 2, 1]);

/**
 * a @ b for a [C, M, K], b [C, K, N], wasm only. Backward: dA = dY @ b^T, dB = a^T @ dY, the same
 * GEMMs on explicitly transposed copies (XNNPACK takes no transpose flag through tfjs).
 */
export const batchedGemm = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: gemm(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.tidy(() => {
        const [sa, sb] = saved as [tf.Tensor3D, tf.Tensor3D];
        return [gemm(dy as tf.Tensor3D, swapLast2(sb)), gemm(swapLast2(sa), dy as tf.Tensor3D)];
      }),
  };
}) as (a: tf.Tensor3D, b: tf.Tensor3D) => tf.Tensor3D;

/** Threads in tfjs-wasm's XNNPACK pool (1 for the single-threaded builds). */
export function wasmThreadCount(): number {
  return (tf.backend() as unknown as WasmBackend).wasm.tfjs.getThreadsCount();
}

/**
 * a @ b^T for a [C, M, K], b [C, N, K] as ONE depthwise convolution: C channels, K the spatial
 * width, N the channel multiplier, M the images (the threaded form, see the top of this file).
 */
function convNT(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const [c, m, k] = a.shape;
  const n = b.shape[1];
  return tf.tidy(() => {
    const x = tf.transpose(a, [1, 2, 0]).reshape([m, 1, k, c]) as tf.Tensor4D; // [M, 1, K, C]
    const filter = tf.transpose(b, [2, 0, 1]).reshape([1, k, c, n]) as tf.Tensor4D; // [1, K, C, N]
    const y = tf.depthwiseConv2d(x, filter, 1, 'valid'); // [M, 1, 1, C * N]
    return tf.transpose(y.reshape([m, c, n]), [1, 0, 2]) as tf.Tensor3D; // [C, M, N]
  });
}

/** a @ b^T for a [C, M, K], b [C, N, K]; backward dA = dY @ B, dB = dY^T @ A, the same convolution. */
export const batchedConvNT = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: convNT(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.tidy(() => {
        const [sa, sb] = saved as [tf.Tensor3D, tf.Tensor3D];
        return [convNT(dy as tf.Tensor3D, swapLast2(sb)), convNT(swapLast2(dy as tf.Tensor3D), swapLast2(sa))];
      }),
  };
}) as (a: tf.Tensor3D, b: tf.Tensor3D) => tf.Tensor3D;
