// Inference as the studio's try box runs it (src/train/worker/predict.ts predictOne: tokenize ->
// one forward at batch 1 -> softmax), p50/p95 over real SST-2 sentences, plus batch-64 throughput
// (predictLogits, as batch prediction of a file runs). BERT-Tiny = the studio's pretrained Tiny
// model; BERT-Base = random weights of bert-base-uncased's shape with the same vocabulary.
// Standalone: `npx tsx bench/inferLatency.ts`.
import { fileURLToPath } from 'node:url';
import { predictLogits } from '../src/train/evaluate';
import type { SequenceClassifier } from '../src/train/classifier';
import { predictOne } from '../src/train/worker/predict';
import { newState, type WorkerState } from '../src/train/worker/state';
import type { BertTokenizer } from '../src/tokenizer';
import { percentile, randomClassifier, shapeLabel, useBackend, type ShapeName } from './common';
import { loadTinyClassifier, sst2Rows, toExamples } from './sst2';
import { formatBenchResult, type BenchResult } from './types';

interface Plan {
  shape: ShapeName;
  single: number; // try-box calls timed
  batchRows: number; // rows predicted at batch 64
}
const PLANS: Plan[] = [
  { shape: 'tiny', single: 60, batchRows: 512 },
  { shape: 'base', single: 20, batchRows: 128 },
];
const WARMUP = 3;

function workerState(model: SequenceClassifier, tokenizer: BertTokenizer): WorkerState {
  return {
    ...newState(),
    trained: {
      model,
      tokenizer,
      labels: ['negative', 'positive'],
      settings: null,
      baseId: 'bench',
      report: null,
      datasetName: 'sst2',
      trainRows: 0,
    },
  };
}

async function benchOne(p: Plan): Promise<BenchResult[]> {
  const tiny = await loadTinyClassifier();
  const tokenizer = tiny.tokenizer;
  let model = tiny.model;
  if (p.shape !== 'tiny') {
    tiny.model.dispose();
    model = randomClassifier(p.shape);
  }
  const rows = sst2Rows(2000).slice(1000); // unseen by train-frozen's first 512
  const state = workerState(model, tokenizer);
  try {
    const times: number[] = [];
    for (let i = 0; i < WARMUP + p.single; i++) {
      const t0 = performance.now();
      const pred = await predictOne(state, rows[i]!.text, null);
      if (i >= WARMUP) times.push(performance.now() - t0);
      if (Math.abs(pred.probabilities.reduce((a, b) => a + b, 0) - 1) > 1e-4)
        throw new Error('softmax does not sum to 1');
    }
    const examples = toExamples(tokenizer, rows.slice(0, p.batchRows));
    await predictLogits(model, examples.slice(0, 64), { batchSize: 64, padId: tokenizer.padId }); // warm-up
    const t0 = performance.now();
    await predictLogits(model, examples, { batchSize: 64, padId: tokenizer.padId });
    const seqPerS = examples.length / ((performance.now() - t0) / 1000);
    const cfg = `${shapeLabel(p.shape)}${p.shape === 'tiny' ? ' (studio-bert-tiny-mlm)' : ' (random weights)'}`;
    const one = `${cfg}, try box: tokenize + forward + softmax, ${p.single} SST-2 sentences`;
    return [
      { name: `infer.${p.shape}.p50`, backend: 'wasm', config: one, value: percentile(times, 50), unit: 'ms' },
      { name: `infer.${p.shape}.p95`, backend: 'wasm', config: one, value: percentile(times, 95), unit: 'ms' },
      {
        name: `infer.${p.shape}.batch64`,
        backend: 'wasm',
        config: `${cfg}, ${examples.length} SST-2 sentences, batch 64, length-sorted`,
        value: seqPerS,
        unit: 'seq/s',
      },
    ];
  } finally {
    model.dispose();
  }
}

export async function benchInferLatency(): Promise<BenchResult[]> {
  await useBackend('wasm');
  const out: BenchResult[] = [];
  for (const p of PLANS) out.push(...(await benchOne(p)));
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchInferLatency().then(
    (rs) => rs.forEach((r) => console.log(formatBenchResult(r))),
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : String(err));
      process.exit(1);
    },
  );
}
