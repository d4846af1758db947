// The matrix products behind a training step, alone: GFLOP/s of tfjs-wasm's MatMul (XNNPACK,
// wasm SIMD, one thread: Node runs tfjs-wasm single-threaded) against torch.matmul (OpenBLAS/MKL)
// with one thread, same shapes, same run. These are the dense products of one BERT-Mini encoder
// layer at batch 32x128 (T = 4096 rows): forward x·W, input gradient dy·Wᵀ, weight gradient xᵀ·dy.
// They are ~85% of a Mini step's time in both implementations, so their ratio bounds what the
// train-step ratio can reach per CPU-second. Figures are per CPU-second (process CPU time), which a
// loaded shared machine disturbs far less than wall time. Standalone: `npx tsx bench/gemm.ts`.
import * as tf from '@tensorflow/tfjs';
import { fileURLToPath } from 'node:url';
import { median, SHAPES, useBackend } from './common';
import { torchGemm, torchUnavailable } from './torchRef';
import { formatBenchResult, type BenchResult } from './types';

const REPS = 7;
const T = 32 * 128;

interface Product {
  role: string;
  m: number;
  k: number;
  n: number;
}

/** One Mini layer's dense products: [in, out] of each Linear, forward and both gradients. */
function miniLayerProducts(): Product[] {
  const h = SHAPES.mini.hidden_size;
  const i = SHAPES.mini.intermediate_size;
  const linears: Array<[string, number, number]> = [
    ['qkv', h, 3 * h],
    ['attn-out', h, h],
    ['ffn-in', h, i],
    ['ffn-out', i, h],
  ];
  return linears.flatMap(([name, inF, outF]) => [
    { role: `${name} forward`, m: T, k: inF, n: outF },
    { role: `${name} input grad`, m: T, k: outF, n: inF },
    { role: `${name} weight grad`, m: inF, k: T, n: outF },
  ]);
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Median CPU ms of one tf.matMul of the shape on the active backend (result read back). tfjs-wasm
 * keeps XNNPACK's packed copy of the right-hand matrix per tensor: a weight (forward, input
 * gradient) is packed once, but a weight gradient's right side is dy, new every step, so those
 * products get a new tensor each time, as in training.
 */
function timeOurs(p: Product): number {
  const a = tf.randomNormal([p.m, p.k], 0, 1, 'float32', 1);
  const b = tf.randomNormal([p.k, p.n], 0, 1, 'float32', 2);
  const fresh = p.role.endsWith('weight grad');
  const run = (): number => {
    const rhs = fresh ? tf.add(b, 0) : b;
    const c0 = cpuMs();
    const c = tf.matMul(a, rhs);
    c.dataSync();
    const ms = cpuMs() - c0;
    c.dispose();
    if (rhs !== b) rhs.dispose();
    return ms;
  };
  run();
  run();
  const times = Array.from({ length: REPS }, run);
  tf.dispose([a, b]);
  return median(times);
}

const gflops = (p: Product, ms: number): number => (2 * p.m * p.k * p.n) / ms / 1e6;

export async function benchGemm(): Promise<BenchResult[]> {
  await useBackend('wasm');
  const products = miniLayerProducts();
  const ours = products.map(timeOurs);
  const why = torchUnavailable();
  const ref = why ? null : torchGemm(products, REPS);
  const refName = ref ? `pytorch ${ref.torch} cpu, 1 thread` : `pytorch unavailable: ${why}`;
  const out: BenchResult[] = [];
  const backend = 'wasm';
  products.forEach((p, j) => {
    const value = gflops(p, ours[j]!);
    const refMs = ref?.oneThreadCpuMs[j];
    const config = `${p.role} of a BERT-Mini layer at 32x128: [${p.m}x${p.k}]·[${p.k}x${p.n}], 1 thread, per CPU-second`;
    const refValue = refMs === undefined ? undefined : gflops(p, refMs);
    out.push({
      name: 'gemm',
      backend,
      config,
      value,
      unit: 'GFLOP/s',
      reference: refName,
      ...(refValue === undefined ? {} : { reference_value: refValue, ratio: value / refValue }),
    });
  });
  // The whole layer: total FLOPs over total CPU time, i.e. what these products allow a step.
  const flops = products.reduce((s, p) => s + 2 * p.m * p.k * p.n, 0);
  const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);
  const value = flops / sum(ours) / 1e6;
  const refValue = ref ? flops / sum(ref.oneThreadCpuMs) / 1e6 : undefined;
  out.push({
    name: 'gemm.layer',
    backend,
    config: `all 12 dense products of a BERT-Mini layer at 32x128 (${(flops / 1e9).toFixed(1)} GFLOP), 1 thread, per CPU-second`,
    value,
    unit: 'GFLOP/s',
    reference: refName,
    ...(refValue === undefined ? {} : { reference_value: refValue, ratio: value / refValue }),
  });
  if (ref && ref.cores > 1) {
    out.push({
      name: 'gemm.layer.threads',
      backend: 'pytorch-only',
      config: `the same products in PyTorch with ${ref.cores} threads, wall time (tfjs-wasm has no threads in Node)`,
      value: flops / sum(ref.allThreadsMs) / 1e6,
      unit: 'GFLOP/s',
    });
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const r of await benchGemm()) console.log(formatBenchResult(r));
}
