// A real, seeded multi-label run on the wasm backend: GoEmotions (28 labels, 1-5 per row) through
// the ordinary training loop (BCE-with-logits) from the studio's MLM-pretrained BERT-Tiny.
// Budget: the encoder is frozen (cached [CLS] features, pooler + classifier train), because full
// fine-tuning of 2,000 rows takes 80+ s on this shared CPU and, at 1-2 epochs, scored below the
// baseline. The classifier bias starts at the training labels' log-odds (priorLogOdds).
// Thresholds are tuned on validation rows and scored on separate test rows (the official dev
// file), against the best constant answer: "neutral" for every row.
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeFolderSource } from '../../../src/model/checkpoint/nodeSource';
import type { Example } from '../../../src/train/batches';
import { tableExamples } from '../../../src/train/dataset';
import { predictLogits } from '../../../src/train/evaluate';
import { loadClassifier } from '../../../src/train/loadModel';
import { train, type TrainEvent } from '../../../src/train/loop';
import { multiLabelMetrics } from '../../../src/train/metrics';
import {
  priorLogOdds,
  sigmoidProbabilities,
  thresholdMetrics,
  tuneGlobalThreshold,
  tuneThresholds,
} from '../../../src/train/multiLabel';
import { sharedPath } from '../shared';
import { useWasm } from '../train/helpers';
import { MODEL_DIR, readShared, subsets, tinyTokenizer } from './helpers';

beforeAll(useWasm);

const MAX_LENGTH = 48;
const COLS = { textColumn: 'text', labelColumn: 'labels', multiLabel: true } as const;

async function data() {
  const names = (await readFile(sharedPath('data', 'goemotions', 'emotions.txt'), 'utf8')).split('\n').filter(Boolean);
  const tokenizer = await tinyTokenizer();
  const [trainT, validT] = subsets(await readShared('goemotions', 'goemotions_train.csv'), [2000, 500], 21);
  const [testT] = subsets(await readShared('goemotions', 'goemotions_dev.csv'), [500], 22);
  // names pins the label order (emotions.txt), so rare labels absent from a subset keep their slot.
  const ex = (t: typeof trainT) => tableExamples(t!, COLS, tokenizer, MAX_LENGTH, names).examples;
  return { names, tokenizer, train: ex(trainT), valid: ex(validT), test: ex(testT) };
}

const rows = (examples: Example[]): number[][] => examples.map((e) => Array.from(e.label as ArrayLike<number>));

describe('GoEmotions multi-label fine-tuning (wasm, studio-bert-tiny-mlm)', () => {
  it('beats always-"neutral" on micro-F1; per-label thresholds raise macro-F1', async () => {
    const d = await data();
    expect(d.names.length).toBe(28);
    expect(d.test.length).toBe(500);
    const L = d.names.length;
    const yValid = rows(d.valid);
    const yTest = rows(d.test);
    const neutral = d.names.indexOf('neutral');
    const baseline = multiLabelMetrics(
      yTest,
      yTest.map(() => d.names.map((_, c) => (c === neutral ? 1 : 0))),
      L,
    ).microF1;

    const { model } = await loadClassifier(nodeFolderSource(MODEL_DIR), {
      labels: d.names,
      head: { kind: 'linear' },
      multiLabel: true,
      seed: 1,
    });
    tf.tidy(() => model.params.get('classifier.bias')!.assign(tf.tensor1d(priorLogOdds(rows(d.train), L))));
    const tensors = tf.memory().numTensors;
    const t0 = performance.now();
    const events: TrainEvent[] = [];
    await train(
      model,
      { train: d.train, valid: d.valid, padId: d.tokenizer.padId },
      {
        epochs: 40,
        batchSize: 32,
        lr: 3e-3,
        warmupRatio: 0.1,
        seed: 7,
        freeze: 'encoder',
        bestMetric: 'micro_f1',
        groupByLength: true,
      },
      (e) => events.push(e),
    );
    const opts = { batchSize: 64, padId: d.tokenizer.padId };
    const pValid = sigmoidProbabilities(await predictLogits(model, d.valid, opts));
    const pTest = sigmoidProbabilities(await predictLogits(model, d.test, opts));
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();

    const global = tuneGlobalThreshold(pValid, yValid, L);
    const perLabel = tuneThresholds(pValid, yValid, L);
    const atGlobal = thresholdMetrics(pTest, yTest, L, new Array<number>(L).fill(global.threshold));
    const atDefault = thresholdMetrics(pTest, yTest, L);
    const atPerLabel = thresholdMetrics(pTest, yTest, L, perLabel.thresholds);
    const losses = events.flatMap((e) => (e.type === 'epochEnd' ? [e.trainLoss] : []));
    const summary = (m: typeof atGlobal) => [m.microF1, m.macroF1, m.subsetAccuracy].map((x) => Number(x.toFixed(3)));
    console.log(
      JSON.stringify({
        seconds: (performance.now() - t0) / 1000,
        baseline,
        firstLastLoss: [losses[0], losses[losses.length - 1]],
        globalThreshold: global.threshold,
        test: { atDefault: summary(atDefault), atGlobal: summary(atGlobal), atPerLabel: summary(atPerLabel) },
      }),
    );
    // Measured: baseline 0.309; micro-F1 at the tuned global threshold (0.2) 0.342.
    expect(baseline).toBeGreaterThan(0.25);
    expect(atGlobal.microF1).toBeGreaterThan(baseline + 0.015);
    // Measured macro-F1: 0.037 at 0.5, 0.099 with per-label thresholds (rare labels get predicted).
    expect(atPerLabel.macroF1).toBeGreaterThan(atDefault.macroF1 + 0.03);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! - 0.02);
  });
});
