// Runs the PyTorch references in a child process: bench/torch_step.py (one full fine-tuning step),
// bench/torch_frozen.py (frozen-encoder epochs) and bench/torch_gemm.py (single matmuls). Debian's torch lives under /usr/bin/python3
// (another python on the PATH may lack it); on machines without it the benchmarks print the
// reference as unavailable instead of failing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedPath } from '../tests/unit/shared';
import { SHAPES, type ShapeName } from './common';

const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const REF_DIR = sharedPath('tools', 'bertref');

export interface TorchStep {
  msPerStep: number;
  /** CPU ms per step summed over torch's threads. */
  cpuMsPerStep: number;
  seqPerS: number;
  threads: number;
  torch: string;
}

let availability: string | null | undefined;

/** null when torch can be used, else why not. */
export function torchUnavailable(): string | null {
  if (availability !== undefined) return availability;
  if (!existsSync(path.join(REF_DIR, 'ref_bert.py'))) return (availability = `no ${REF_DIR}/ref_bert.py`);
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
  availability = r.status === 0 ? null : `${PYTHON} cannot import torch`;
  return availability;
}

export function torchStep(shape: ShapeName, batch: number, seq: number, warmup: number, steps: number): TorchStep {
  const s = SHAPES[shape];
  const args = {
    layers: s.num_hidden_layers,
    hidden: s.hidden_size,
    heads: s.num_attention_heads,
    inter: s.intermediate_size,
    batch,
    seq,
    warmup,
    steps,
  };
  const j = runPython<{
    ms_per_step: number;
    cpu_ms_per_step: number;
    seq_per_s: number;
    threads: number;
    torch: string;
  }>('torch_step.py', args);
  return {
    msPerStep: j.ms_per_step,
    cpuMsPerStep: j.cpu_ms_per_step,
    seqPerS: j.seq_per_s,
    threads: j.threads,
    torch: j.torch,
  };
}

/** Seconds per epoch of PyTorch's two frozen-encoder ways at one thread count (see torch_frozen.py). */
export interface TorchFrozenRun {
  threads: number;
  /** Encoder forward under no_grad every epoch (requires_grad=False on it), pooler + classifier train. */
  notebookEpochS: number[];
  /** [CLS] features computed once (inside the first epoch), then pooler + classifier train on them. */
  cachedEpochS: number[];
}

/**
 * `inputPath`: the padded batches JSON torch_frozen.py reads; `modelDir`: an HF model folder;
 * `threads`: torch thread counts to run in turn.
 */
export function torchFrozen(
  inputPath: string,
  modelDir: string,
  threads: number[],
): { runs: TorchFrozenRun[]; torch: string } {
  const j = runPython<{
    runs: Array<{ threads: number; notebook_epoch_s: number[]; cached_epoch_s: number[] }>;
    torch: string;
  }>('torch_frozen.py', { 'model-dir': modelDir, input: inputPath, threads: threads.join(',') });
  return {
    runs: j.runs.map((r) => ({
      threads: r.threads,
      notebookEpochS: r.notebook_epoch_s,
      cachedEpochS: r.cached_epoch_s,
    })),
    torch: j.torch,
  };
}

/** torch.matmul times for each [m, k, n] (see torch_gemm.py), in the order given. */
export interface TorchGemm {
  /** Median process CPU ms per product with 1 thread. */
  oneThreadCpuMs: number[];
  /** Median wall ms per product with all cores' threads. */
  allThreadsMs: number[];
  cores: number;
  torch: string;
}

export function torchGemm(shapes: ReadonlyArray<{ m: number; k: number; n: number }>, reps: number): TorchGemm {
  type Row = { ms: number; cpu_ms: number };
  const j = runPython<{ runs: Record<string, Row[]>; cores: number; torch: string }>('torch_gemm.py', {
    shapes: shapes.map((s) => `${s.m}x${s.k}x${s.n}`).join(','),
    reps,
  });
  const one = j.runs['1'] ?? [];
  const all = j.runs[String(j.cores)] ?? one;
  return {
    oneThreadCpuMs: one.map((r) => r.cpu_ms),
    allThreadsMs: all.map((r) => r.ms),
    cores: j.cores,
    torch: j.torch,
  };
}

/** Runs bench/<script> with --ref-dir and `--key value` flags; parses the last stdout line as JSON. */
function runPython<T>(script: string, flags: Record<string, string | number>): T {
  const argv = [
    path.join(BENCH_DIR, script),
    '--ref-dir',
    REF_DIR,
    ...Object.entries(flags).flatMap(([k, v]) => [`--${k}`, String(v)]),
  ];
  const r = spawnSync(PYTHON, argv, { encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${script} failed (${r.status ?? r.signal}): ${r.stderr.slice(-500)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as T;
}
