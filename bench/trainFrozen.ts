// Frozen encoder vs full fine-tuning, per epoch, on the same 512 real SST-2 sentences with the
// studio's BERT-Tiny-shaped model, both through the engine's train() (src/train/loop.ts). With
// freeze 'encoder' the engine computes each row's [CLS] features once (featureCache.ts) and then
// trains pooler + classifier on them, so its first epoch carries the caching cost and later ones
// do not. Standalone: `npx tsx bench/trainFrozen.ts`.
import { fileURLToPath } from 'node:url';
import { train, type FreezeSpec, type TrainEvent } from '../src/train/loop';
import { useBackend } from './common';
import { loadTinyClassifier, sst2Rows, toExamples } from './sst2';
import { formatBenchResult, type BenchResult } from './types';

const ROWS = 512;
const BATCH = 32;
const MAX_LENGTH = 128;

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
      { epochs, batchSize: BATCH, lr: 1e-4, freeze, seed: 3, reportIntervalMs: 1000 },
      onEvent,
    );
  } finally {
    model.dispose();
  }
  return ends.map((t, i) => (t - (i === 0 ? t0 : ends[i - 1]!)) / 1000);
}

export async function benchTrainFrozen(): Promise<BenchResult[]> {
  await useBackend('wasm');
  const full = await epochSeconds('none', 1);
  const frozen = await epochSeconds('encoder', 3);
  const fullRate = ROWS / full[0]!;
  const firstRate = ROWS / frozen[0]!;
  const cachedRate = ROWS / Math.min(...frozen.slice(1));
  const config = `studio-bert-tiny-mlm (L2/H128), ${ROWS} SST-2 rows, batch ${BATCH}, maxLength ${MAX_LENGTH}`;
  const reference = 'full fine-tuning, same data (wasm)';
  return [
    { name: 'train-full.epoch', backend: 'wasm', config, value: fullRate, unit: 'seq/s' },
    {
      name: 'train-frozen.epoch1',
      backend: 'wasm',
      config: `${config}, first epoch incl. [CLS] feature caching`,
      value: firstRate,
      unit: 'seq/s',
      reference,
      reference_value: fullRate,
      ratio: firstRate / fullRate,
    },
    {
      name: 'train-frozen.epoch',
      backend: 'wasm',
      config: `${config}, later epochs on cached features (best of 2)`,
      value: cachedRate,
      unit: 'seq/s',
      reference,
      reference_value: fullRate,
      ratio: cachedRate / fullRate,
    },
  ];
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
