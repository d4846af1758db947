// Memory over a long run: does a 50,000-row training run stay flat across epochs? Real SST-2 rows
// (the first 50,000 of sst2_train.csv, the next 1,000 held out for the per-epoch evaluation) and
// the studio's BERT-Tiny-shaped model, through the engine's train() on the wasm backend. Full
// fine-tuning of 50k rows x 3 epochs is hours on this machine, so the long run uses the frozen
// encoder (cached [CLS] features, pooler + head train); full fine-tuning runs on a 2,000-row slice.
// At every epochEnd event (after a forced GC when reachable) it samples process RSS, JS heap used,
// tf.memory() tensors/bytes and the wasm heap size. The wasm heap only grows, so its size is a
// high-water mark: flat means no epoch needed more than the first. Standalone:
// `npx tsx bench/memory.ts` (per-epoch lines go to stderr, figures to stdout).
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import { train, type FreezeSpec, type TrainEvent } from '../src/train/loop';
import { useBackend } from './common';
import { loadTinyClassifier, sst2Rows, toExamples } from './sst2';
import { formatBenchResult, type BenchResult } from './types';

const MiB = 2 ** 20;
const LONG_ROWS = 50_000;
const VALID_ROWS = 1_000;
const FULL_ROWS = 2_000;
const EPOCHS = 3;
const BATCH = 32;
const MAX_LENGTH = 128;

export interface EpochMemory {
  epoch: number;
  seconds: number;
  rssMiB: number;
  heapUsedMiB: number;
  numTensors: number;
  numBytes: number;
  /** null on a backend without an emscripten heap. */
  wasmHeapMiB: number | null;
}

/**
 * A global GC before each sample, so RSS and heap show what is live rather than garbage not yet
 * collected. `--expose-gc` cannot be passed through every runner (npx tsx, vitest workers), so it
 * is switched on at run time; the flag only affects contexts created afterwards, hence the vm.
 */
export function exposeGc(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}

export function wasmHeapBytes(): number | null {
  const be = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return be.wasm?.HEAPU8?.length ?? null;
}

function sample(epoch: number, seconds: number, gc: (() => void) | null): EpochMemory {
  gc?.();
  const m = process.memoryUsage();
  const t = tf.memory();
  const heap = wasmHeapBytes();
  return {
    epoch,
    seconds,
    rssMiB: m.rss / MiB,
    heapUsedMiB: m.heapUsed / MiB,
    numTensors: t.numTensors,
    numBytes: t.numBytes,
    wasmHeapMiB: heap === null ? null : heap / MiB,
  };
}

export function formatEpoch(label: string, s: EpochMemory): string {
  const wasm = s.wasmHeapMiB === null ? '-' : `${s.wasmHeapMiB.toFixed(0)} MiB`;
  return (
    `${label} epoch ${s.epoch} (${s.seconds.toFixed(1)} s): rss ${s.rssMiB.toFixed(1)} MiB, ` +
    `heapUsed ${s.heapUsedMiB.toFixed(1)} MiB, tensors ${s.numTensors}, tensorBytes ${s.numBytes}, wasmHeap ${wasm}`
  );
}

async function run(label: string, rows: number, freeze: FreezeSpec): Promise<EpochMemory[]> {
  const gc = exposeGc();
  const { model, tokenizer } = await loadTinyClassifier();
  const all = toExamples(tokenizer, sst2Rows(rows + VALID_ROWS), MAX_LENGTH);
  const data = { train: all.slice(0, rows), valid: all.slice(rows), padId: tokenizer.padId };
  const samples: EpochMemory[] = [];
  const t0 = performance.now();
  let last = t0;
  const onEvent = (e: TrainEvent): void => {
    if (e.type !== 'epochEnd') return;
    const now = performance.now();
    const s = sample(e.epoch, (now - last) / 1000, gc);
    last = now;
    samples.push(s);
    console.error(formatEpoch(label, s));
  };
  try {
    await train(
      model,
      data,
      {
        epochs: EPOCHS,
        batchSize: BATCH,
        lr: freeze === 'none' ? 1e-4 : 3e-3,
        freeze,
        seed: 3,
        reportIntervalMs: 5000,
      },
      onEvent,
    );
  } finally {
    model.dispose();
  }
  if (samples.length !== EPOCHS) throw new Error(`${label}: ${samples.length} epochEnd events, expected ${EPOCHS}`);
  return samples;
}

/** The largest change from epoch 1 over the later epochs (signed; 0 = every epoch equal to the first). */
function maxDrift(samples: EpochMemory[], pick: (s: EpochMemory) => number): number {
  const base = pick(samples[0]!);
  return samples.slice(1).reduce((m, s) => {
    const d = pick(s) - base;
    return Math.abs(d) > Math.abs(m) ? d : m;
  }, 0);
}

function drift(name: string, config: string, samples: EpochMemory[]): BenchResult[] {
  const span = `max drift from epoch 1 over epochs 2-${samples.length}`;
  const fig = (key: string, value: number, unit: string): BenchResult => ({
    name: `${name}.${key}`,
    backend: 'wasm',
    config: `${config}, ${span}`,
    value,
    unit,
  });
  const out = [
    fig(
      'rss',
      maxDrift(samples, (s) => s.rssMiB),
      'MiB',
    ),
    fig(
      'heapUsed',
      maxDrift(samples, (s) => s.heapUsedMiB),
      'MiB',
    ),
    fig(
      'numTensors',
      maxDrift(samples, (s) => s.numTensors),
      'tensors',
    ),
    fig(
      'numBytes',
      maxDrift(samples, (s) => s.numBytes),
      'bytes',
    ),
  ];
  if (samples.every((s) => s.wasmHeapMiB !== null))
    out.push(
      fig(
        'wasmHeap',
        maxDrift(samples, (s) => s.wasmHeapMiB!),
        'MiB',
      ),
    );
  return out;
}

export async function benchMemory(): Promise<BenchResult[]> {
  await useBackend('wasm');
  const base = `studio-bert-tiny-mlm, batch ${BATCH}, maxLength ${MAX_LENGTH}, ${EPOCHS} epochs, ${VALID_ROWS} validation rows`;
  const frozen = await run('frozen 50k', LONG_ROWS, 'encoder');
  const full = await run('full 2k', FULL_ROWS, 'none');
  return [
    ...drift('memory.frozen50k', `${LONG_ROWS} SST-2 rows, frozen encoder, ${base}`, frozen),
    ...drift('memory.full2k', `${FULL_ROWS} SST-2 rows, full fine-tuning, ${base}`, full),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchMemory().then(
    (rs) => rs.forEach((r) => console.log(formatBenchResult(r))),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : String(err));
      process.exit(1);
    },
  );
}
