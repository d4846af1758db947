// Full fine-tuning step (forward + backward + clip_grad_norm_ + AdamW) through the project's own
// training engine (src/train/loop.ts `train`, as the worker and the CLI run it), against the same
// step in PyTorch on this machine (bench/torch_step.py). Random weights and ids of the real shapes.
// Each wasm case also reports its peak wasm heap: BERT-Base at 8x128 must stay inside the 4 GB
// wasm32 heap (too slow for a unit test here: ~30 s per step on 2 cores). Standalone:
// `npx tsx bench/trainStep.ts`.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, shapeLabel } from './common';
import { engineStepTimes, type StepCase, type StepTimes } from './engineStep';
import { torchStep, torchUnavailable, type TorchStep } from './torchRef';
import { formatBenchResult, type BenchResult } from './types';

const SEQ = 128;

type Case = Omit<StepCase, 'seq'>;

// Base is ~40x a Mini step: fewer steps keep the suite within minutes on 2 cores. The plain-JS cpu
// backend is ~10x slower than wasm, so it only runs the Tiny shape, with one timed step.
const CASES: Case[] = [
  { shape: 'tiny', backend: 'wasm', batch: 32, warmup: 2, steps: 5 },
  { shape: 'mini', backend: 'wasm', batch: 32, warmup: 2, steps: 5 },
  { shape: 'base', backend: 'wasm', batch: 8, warmup: 1, steps: 2 },
  { shape: 'tiny', backend: 'cpu', batch: 32, warmup: 0, steps: 1 },
];

const refCache = new Map<string, TorchStep>();
function reference(c: Case): TorchStep {
  const key = `${c.shape}/${c.batch}`;
  let r = refCache.get(key);
  if (!r) {
    // tfjs is idle while the child runs, so the two never share the CPU.
    r = torchStep(c.shape, c.batch, SEQ, c.warmup, c.steps);
    refCache.set(key, r);
  }
  return r;
}

function figures(c: Case, t: StepTimes): BenchResult[] {
  const ms = median(t.wall);
  const cpu = t.cpu && median(t.cpu);
  const config = `${shapeLabel(c.shape)}, batch ${c.batch}x${SEQ}, AdamW, ${c.steps} timed steps (median)`;
  const seqPerS = (c.batch * 1000) / ms;
  const base = { backend: c.backend, config };
  const why = torchUnavailable();
  const ref = why ? null : reference(c);
  const refName = ref ? `pytorch ${ref.torch} cpu, ${ref.threads} threads` : `pytorch-cpu unavailable: ${why}`;
  const vs = (value: number, refValue: number | undefined) =>
    ref && refValue !== undefined
      ? { reference: refName, reference_value: refValue, ratio: value / refValue }
      : { reference: refName };
  const out: BenchResult[] = [
    { name: `train-step.${c.shape}`, ...base, value: seqPerS, unit: 'seq/s', ...vs(seqPerS, ref?.seqPerS) },
    { name: `train-step.${c.shape}.ms`, ...base, value: ms, unit: 'ms/step', ...vs(ms, ref?.msPerStep) },
  ];
  if (cpu !== null)
    out.push({
      name: `train-step.${c.shape}.cpu-ms`,
      ...base,
      config: `${config}, process CPU time (all threads; steadier than wall time on a shared machine)`,
      value: cpu,
      unit: 'cpu-ms/step',
      ...vs(cpu, ref?.cpuMsPerStep),
    });
  return out;
}

const caseId = (c: Case): string => `${c.shape}:${c.backend}`;

const MiB = 1 << 20;
// tfjs-wasm's getHeapMax (emscripten): 65536 bytes short of 4 GiB.
const WASM_HEAP_MAX = 4294901760;

/**
 * The wasm heap after the run: it only grows, so this is the run's peak (live tensors, XNNPACK's
 * packed weights, allocator fragmentation). Null on other backends.
 */
function heapFigure(c: Case): BenchResult | null {
  const heap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.length;
  if (heap === undefined) return null;
  return {
    name: `train-step.${c.shape}.heap`,
    backend: c.backend,
    config: `${shapeLabel(c.shape)}, batch ${c.batch}x${SEQ}, AdamW, ${c.warmup + c.steps} steps: peak wasm heap (cap ${(WASM_HEAP_MAX / MiB).toFixed(0)} MiB); moments outside it`,
    value: heap / MiB,
    unit: 'MiB',
  };
}

/** One case in this process; prints its figures as JSON lines (the child side of benchTrainStep). */
async function runCase(id: string): Promise<void> {
  const c = CASES.find((x) => caseId(x) === id);
  if (!c) throw new Error(`no train-step case ${id}; have ${CASES.map(caseId).join(', ')}`);
  const times = await engineStepTimes({ ...c, seq: SEQ });
  const heap = heapFigure(c);
  for (const r of [...figures(c, times), ...(heap ? [heap] : [])]) console.log(JSON.stringify(r));
}

/** What is printed when a case fails (e.g. out of the 4 GB wasm32 heap); torch is not run. */
function failed(c: Case, stderr: string): BenchResult {
  const oom = /Aborted\(\)|memory access out of bounds|Out of memory/.test(stderr);
  const why = oom
    ? 'out of memory: the wasm32 heap is capped at 4 GB'
    : (stderr.trim().split('\n').pop() ?? 'no output').slice(0, 160);
  return {
    name: `train-step.${c.shape}`,
    backend: c.backend,
    config: `${shapeLabel(c.shape)}, batch ${c.batch}x${SEQ}, AdamW - FAILED: ${why}`,
    value: Number.NaN,
    unit: 'seq/s',
  };
}

/**
 * Each case runs in a fresh Node process: a clean wasm heap for every shape, and an out-of-memory
 * abort (which kills the wasm module for good) cannot take the later benchmarks down with it.
 * `filter` picks cases by "shape" or "shape:backend" (e.g. BENCH_TRAIN_CASES=tiny,mini:wasm).
 */
export async function benchTrainStep(filter?: string[]): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const picked = CASES.filter((c) => !filter?.length || filter.includes(c.shape) || filter.includes(caseId(c)));
  for (const c of picked) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--case', caseId(c)], {
      encoding: 'utf8',
      timeout: 600_000,
      maxBuffer: 1 << 20,
    });
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('{'));
    if (r.status === 0 && lines.length > 0) results.push(...lines.map((l) => JSON.parse(l) as BenchResult));
    else results.push(failed(c, `${r.stderr}\n${r.signal ?? ''}`));
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--case');
  const job =
    i > 0
      ? runCase(process.argv[i + 1] ?? '')
      : benchTrainStep(process.env.BENCH_TRAIN_CASES?.split(',').filter(Boolean)).then((rs) =>
          rs.forEach((r) => console.log(formatBenchResult(r))),
        );
  job.catch((err: unknown) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  });
}
