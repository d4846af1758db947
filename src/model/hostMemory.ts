// Direct access to tensor memory on the CPU-class backends, for kernels written as plain JS loops.
// tfjs-wasm keeps every tensor in its heap (backend_wasm.ts: typedArrayFromHeap / makeOutput) and
// tfjs-cpu in JS typed arrays (backend_cpu.ts: data.get(dataId).values / makeTensorInfo), so one
// pass over the data needs no copy. Several tfjs-wasm kernels are slow scalar loops (GatherV2,
// Erf, Exp: 10-80 ns per element measured here), and AdamW as tf ops is ~14 full-size passes.
import * as tf from '@tensorflow/tfjs';
import type { DataType, TensorInfo } from '@tensorflow/tfjs';

export type HostArray = Float32Array | Int32Array;

/** The parts of tfjs-wasm's BackendWasm used here (not exported by the package's types). */
interface WasmBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): HostArray;
}
/** The parts of tfjs-cpu's MathBackendCPU used here. */
interface CpuBackend {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: DataType, values: HostArray): TensorInfo;
}

export interface HostMemory {
  /**
   * Allocates an output first, then returns views of it and of `inputs`: on wasm an allocation can
   * grow the heap, which detaches every view taken before it.
   */
  alloc(shape: number[], dtype: DataType, inputs: TensorInfo[]): { out: TensorInfo; views: HostArray[] };
  /** Views of existing tensors (valid until the next allocation on this backend). */
  views(inputs: TensorInfo[]): HostArray[];
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, d) => a * d, 1);
}

function wasmMemory(b: WasmBackend): HostMemory {
  const views = (inputs: TensorInfo[]) => inputs.map((t) => b.typedArrayFromHeap(t));
  return {
    alloc: (shape, dtype, inputs) => {
      const out = b.makeOutput(shape, dtype);
      return { out, views: [b.typedArrayFromHeap(out), ...views(inputs)] };
    },
    views,
  };
}

function cpuMemory(b: CpuBackend): HostMemory {
  const views = (inputs: TensorInfo[]) =>
    inputs.map((t) => {
      const v = b.data.get(t.dataId).values;
      if (!(v instanceof Float32Array || v instanceof Int32Array))
        throw new Error(`no host data for a ${t.dtype} tensor`);
      return v;
    });
  return {
    alloc: (shape, dtype, inputs) => {
      const values = dtype === 'int32' ? new Int32Array(sizeOf(shape)) : new Float32Array(sizeOf(shape));
      return { out: b.makeTensorInfo(shape, dtype, values), views: [values, ...views(inputs)] };
    },
    views,
  };
}

/** Host memory of a kernel's backend object, by the backend's registered name. */
export function hostMemoryOf(backend: unknown, backendName: string): HostMemory {
  if (backendName === 'wasm') return wasmMemory(backend as WasmBackend);
  if (backendName === 'cpu') return cpuMemory(backend as CpuBackend);
  throw new Error(`no host memory access on backend ${backendName}`);
}

let enabled = true;

/** Turns the host-memory kernels off (tests and benchmarks compare them with the tf-op versions). */
export function setHostKernels(on: boolean): void {
  enabled = on;
}

/** Host memory of the active backend, or null on GPU backends (webgl, webgpu) or when turned off. */
export function activeHostMemory(): HostMemory | null {
  if (!enabled) return null;
  const name = tf.getBackend();
  return name === 'wasm' || name === 'cpu' ? hostMemoryOf(tf.backend(), name) : null;
}

/** A tensor for a TensorInfo the active backend just allocated (takes ownership of its data). */
export function tensorOf(info: TensorInfo): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(info);
}
