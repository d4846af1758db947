// Frozen encoder vs full fine-tuning, per epoch, on the same 512 real SST-2 sentences with the
// studio's BERT-Tiny-shaped model, both through the engine's train() (src/train/loop.ts). With
// freeze 'encoder' the engine computes each row's [CLS] features once (featureCache.ts) and then
// trains pooler + classifier on them, so its first epoch carries the caching cost and later ones
// do not. Against PyTorch (bench/torch_frozen.py, same weights) on the very batches our engine
// pads: (a) the encoder frozen the way an HF notebook does it (its forward under no_grad every
// epoch) and (b) the same cached-features algorithm as ours. Standalone: `npx tsx bench/trainFrozen.ts`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { epochBatches, padBatch, type Example } from '../src/train/batches';
import { train, TRAIN_DEFAULTS, type FreezeSpec, type TrainEvent } from '../src/train/loop';
import { median, useBackend } from './common';
import { loadTinyClassifier, sst2Rows, TINY_MODEL_DIR, toExamples } from './sst2';
import { torchFrozen, torchUnavailable, type TorchFrozenRun } from './torchRef';
import { formatBenchResult, type BenchResult } from './types';

const ROWS = 512;
const BATCH = 32;
const MAX_LENGTH = 128;
const EPOCHS = 3;
const SEED = 3;
const LR = 1e-4;

/** Wall-clock seconds of each epoch (from the start of train() for the first). */
async function epochSeconds(freeze: FreezeSpec, epochs: number): Promise<number[]> {
  const { model, tokenizer } = await loadTinyClassifier();
  const examples = toExamples(tokenizer, sst2Rows(ROWS), MAX_LENGTH);
  const ends: number[] = [];
  const onEvent = (e: TrainEvent): void => {
    if (e.type === 'epochEnd') ends.push(performance.now());
  };
  const t0 = performance.now();
  try {
    await train(
      model,
      { train: examples, valid: [], padId: tokenizer.padId },
      { epochs, batchSize: BATCH, lr: LR, freeze, seed: SEED, reportIntervalMs: 1000 },
      onEvent,
    );
  } finally {
    model.dispose();
  }
  return ends.map((t, i) => (t - (i === 0 ? t0 : ends[i - 1]!)) / 1000);
}

type Padded = Record<'rows' | 'shape' | 'input_ids' | 'token_type_ids' | 'attention_mask' | 'labels', number[]>;

function padded(examples: readonly Example[], rows: number[], padId: number): Padded {
  const p = padBatch(examples, rows, padId, 2, false);
  return {
    rows,
    shape: p.shape,
    input_ids: [...p.inputIds],
    token_type_ids: [...p.tokenTypeIds],
    attention_mask: [...p.attentionMask],
    labels: [...p.labels],
  };
}

/**
 * PyTorch's epoch times on the batches our engine builds: the caching pass in length-sorted
 * batches of evalBatchSize (as featureCache.ts orders them) and each epoch's shuffled, dynamically
 * padded training batches (epochBatches + padBatch, as runner.ts), so both sides see the same ids.
 */
async function torchEpochs(threads: number[]): Promise<{ runs: TorchFrozenRun[]; torch: string }> {
  const { model, tokenizer } = await loadTinyClassifier();
  model.dispose();
  const examples = toExamples(tokenizer, sst2Rows(ROWS), MAX_LENGTH);
  const lengths = examples.map((e) => e.inputIds.length);
  const sorted = lengths.map((_, i) => i).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
  const cacheBatches: Padded[] = [];
  for (let s = 0; s < sorted.length; s += TRAIN_DEFAULTS.evalBatchSize)
    cacheBatches.push(padded(examples, sorted.slice(s, s + TRAIN_DEFAULTS.evalBatchSize), tokenizer.padId));
  const spec = {
    num_rows: examples.length,
    num_labels: 2,
    seed: SEED,
    lr: LR,
    weight_decay: TRAIN_DEFAULTS.weightDecay,
    max_grad_norm: TRAIN_DEFAULTS.maxGradNorm,
    cache_batches: cacheBatches,
    epoch_batches: Array.from({ length: EPOCHS }, (_, e) =>
      epochBatches(lengths, BATCH, SEED, e, false).map((rows) => padded(examples, rows, tokenizer.padId)),
    ),
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-frozen-'));
  try {
    const file = path.join(dir, 'batches.json');
    writeFileSync(file, JSON.stringify(spec));
    return torchFrozen(file, TINY_MODEL_DIR, threads);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchTrainFrozen(): Promise<BenchResult[]> {
  await useBackend('wasm');
  const full = await epochSeconds('none', 1);
  const frozen = await epochSeconds('encoder', EPOCHS);
  const fullRate = ROWS / full[0]!;
  const firstRate = ROWS / frozen[0]!;
  const cachedRate = ROWS / Math.min(...frozen.slice(1));
  const config = `studio-bert-tiny-mlm (L2/H128), ${ROWS} SST-2 rows, batch ${BATCH}, maxLength ${MAX_LENGTH}`;
  const first = { backend: 'wasm', config: `${config}, first epoch incl. [CLS] feature caching`, unit: 'seq/s' };
  const later = {
    backend: 'wasm',
    config: `${config}, later epochs on cached features (best of ${EPOCHS - 1})`,
    unit: 'seq/s',
  };
  const vs = (value: number, reference: string, refValue: number) => ({
    value,
    reference,
    reference_value: refValue,
    ratio: value / refValue,
  });
  const fullRef = 'full fine-tuning, same data (wasm)';
  const out: BenchResult[] = [
    { name: 'train-full.epoch', backend: 'wasm', config, value: fullRate, unit: 'seq/s' },
    { name: 'train-frozen.epoch1', ...first, ...vs(firstRate, fullRef, fullRate) },
    { name: 'train-frozen.epoch', ...later, ...vs(cachedRate, fullRef, fullRate) },
  ];
  const why = torchUnavailable();
  if (why) {
    const reference = `pytorch-cpu unavailable: ${why}`;
    for (const way of ['nograd', 'cached'])
      out.push(
        { name: `train-frozen.epoch1.vs-torch-${way}`, ...first, value: firstRate, reference },
        { name: `train-frozen.epoch.vs-torch-${way}`, ...later, value: cachedRate, reference },
      );
    return out;
  }
  // The cores (as the other references), then 1: with the other core busy, two OpenMP threads can
  // run several times slower than one, so each figure takes torch's faster setting.
  const threads = [...new Set([os.cpus().length, 1])];
  const t = await torchEpochs(threads); // tfjs is idle meanwhile: the two never share the CPU
  const torchRef = (seconds: (r: TorchFrozenRun) => number, what: string): [string, number] => {
    const best = t.runs.reduce((x, y) => (seconds(y) < seconds(x) ? y : x));
    const n = best.threads;
    return [
      `pytorch ${t.torch} cpu, ${n} thread${n > 1 ? 's' : ''} (faster of ${threads.join('/')}), ${what}`,
      ROWS / seconds(best),
    ];
  };
  const notebook = torchRef(
    (r) => median(r.notebookEpochS),
    `encoder frozen (requires_grad=False), its forward under no_grad every epoch (median of ${EPOCHS})`,
  );
  const cachedFirst = torchRef(
    (r) => r.cachedEpochS[0]!,
    '[CLS] features cached once as ours: first epoch incl. caching',
  );
  const cachedLater = torchRef(
    (r) => Math.min(...r.cachedEpochS.slice(1)),
    `[CLS] features cached once as ours: later epochs (best of ${EPOCHS - 1})`,
  );
  out.push(
    { name: 'train-frozen.epoch1.vs-torch-nograd', ...first, ...vs(firstRate, ...notebook) },
    { name: 'train-frozen.epoch.vs-torch-nograd', ...later, ...vs(cachedRate, ...notebook) },
    { name: 'train-frozen.epoch1.vs-torch-cached', ...first, ...vs(firstRate, ...cachedFirst) },
    { name: 'train-frozen.epoch.vs-torch-cached', ...later, ...vs(cachedRate, ...cachedLater) },
  );
  if (process.env.BENCH_VERBOSE) console.error('# torch frozen epochs (s):', JSON.stringify(t));
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchTrainFrozen().then(
    (rs) => rs.forEach((r) => console.log(formatBenchResult(r))),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : String(err));
      process.exit(1);
    },
  );
}
