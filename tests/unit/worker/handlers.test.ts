// The worker's handlers driven directly in Node (the same code the Web Worker runs): a CSV slice of
// SMS spam → stats → model from picked files → one epoch → predictions → export zip that loads back.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, zipSource } from '../../../src/model/checkpoint';
import type { FromWorker, TrainSettings } from '../../../src/train/protocol';
import { computeStats, loadDataset } from '../../../src/train/worker/dataset';
import { exportZip } from '../../../src/train/worker/exporting';
import { loadModel } from '../../../src/train/worker/model';
import { predictFile, predictOne } from '../../../src/train/worker/predict';
import { newState } from '../../../src/train/worker/state';
import { runTraining } from '../../../src/train/worker/training';
import { useWasm } from '../train/helpers';
import { sharedPath } from '../shared';

const MODEL_DIR = sharedPath('models', 'studio-bert-tiny-mlm');

function smsSlice(perClass: number): string {
  const lines = fs.readFileSync(sharedPath('data', 'sms_spam', 'sms_spam.csv'), 'utf8').split('\n');
  const header = lines[0]!;
  // Rows are one line each in this file unless quoted with newlines; take whole records only.
  const rows = lines.slice(1).filter((l) => /,(ham|spam)$/.test(l));
  const ham = rows.filter((l) => l.endsWith(',ham')).slice(0, perClass * 3);
  const spam = rows.filter((l) => l.endsWith(',spam')).slice(0, perClass);
  return [header, ...ham, ...spam].join('\n') + '\n';
}

function modelFiles(): File[] {
  return fs.readdirSync(MODEL_DIR).map((name) => {
    const data = fs.readFileSync(path.join(MODEL_DIR, name));
    return new File([data], name);
  });
}

const SETTINGS: TrainSettings = {
  task: 'seq-cls',
  textColumn: 'text',
  textPairColumn: null,
  labelColumn: 'label',
  epochs: 1,
  learningRate: 3e-4,
  batchSize: 16,
  maxLength: 32,
  freeze: 'none',
  frozenLayers: 0,
  head: 'linear',
  mlpHidden: 64,
  warmupRatio: 0.1,
  weightDecay: 0.01,
  classWeights: 'none',
  seed: 7,
  validFraction: 0.2,
  dropRows: [],
};

describe('worker handlers', () => {
  const state = newState();
  const events: FromWorker[] = [];
  const post = (m: FromWorker) => void events.push(m);

  beforeAll(async () => {
    await useWasm();
  });

  it('loads a dataset and reports its columns and guesses', async () => {
    await loadDataset(state, { name: 'sms.csv', text: smsSlice(100) }, post);
    const loaded = events.find((e) => e.type === 'datasetLoaded');
    expect(loaded?.type === 'datasetLoaded' && loaded.summary).toMatchObject({
      rows: 400,
      columns: ['text', 'label'],
      guess: { text: 'text', label: 'label' },
    });
  });

  it('loads a model from picked files and describes it', async () => {
    const info = await loadModel(state, { kind: 'files', files: modelFiles() }, post);
    expect(info).toMatchObject({ layers: 2, hiddenSize: 128, heads: 2, vocabSize: 30522, format: 'safetensors' });
  });

  it('computes statistics with the model tokenizer', () => {
    const stats = computeStats(state, { textColumn: 'text', textPairColumn: null, labelColumn: 'label' });
    expect(stats.labels).toEqual([
      { name: 'ham', count: 300 },
      { name: 'spam', count: 100 },
    ]);
    expect(stats.tokenLengths!.suggestedMaxLength % 8).toBe(0);
    expect(stats.histogram.reduce((s, b) => s + b.count, 0)).toBe(400);
  });

  it('refuses a single-class dataset and unlabeled rows with clear messages', async () => {
    const one = newState();
    one.base = state.base;
    const hamOnly = smsSlice(20)
      .split('\n')
      .filter((l) => !l.endsWith(',spam'))
      .join('\n');
    await loadDataset(one, { name: 'ham.csv', text: hamOnly }, post);
    await expect(runTraining(one, SETTINGS, post)).rejects.toThrow(/only one class \(ham\)/);
    await loadDataset(one, { name: 'gap.csv', text: 'text,label\na,ham\nb,\nc,spam\nd,ham\n' }, post);
    await expect(runTraining(one, SETTINGS, post)).rejects.toThrow(/1 row has no label \(rows 2\)/);
    // Dropping the row, as the Data step offers, lets training start.
    await expect(runTraining(one, { ...SETTINGS, dropRows: [2], validFraction: 0 }, post)).resolves.toBeUndefined();
    one.trained?.model.dispose();
  });

  it('trains one epoch, reports steps and a report, predicts and exports a loadable zip', async () => {
    events.length = 0;
    const before = tf.memory().numTensors;
    await runTraining(state, SETTINGS, post);
    const steps = events.filter((e) => e.type === 'step');
    expect(steps.length).toBeGreaterThan(0);
    const done = events.find((e) => e.type === 'done');
    if (done?.type !== 'done') throw new Error('no done event');
    expect(done.report!.labels).toEqual(['ham', 'spam']);
    expect(done.report!.confusion.flat().reduce((a, b) => a + b, 0)).toBe(80);
    expect(done.report!.accuracy).toBeGreaterThan(0.75);
    for (const m of done.misclassified) expect(m.trueLabel).not.toBe(m.predictedLabel);

    const p = await predictOne(state, 'WINNER!! Claim your free prize now, call 09061701461', null);
    expect(p.labels).toEqual(['ham', 'spam']);
    expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);

    const batch = await predictFile(state, { name: 'b.csv', text: 'text\nhello there\nfree prize call now\n' });
    expect(batch.rows).toBe(2);
    expect(batch.csv.split(/\r?\n/)[0]).toBe('text,predicted_label,prob_ham,prob_spam');

    const { zip, fileName } = await exportZip(state);
    expect(fileName).toMatch(/\.zip$/);
    const { weights } = await loadCheckpoint(zipSource(zip));
    expect(weights.has('classifier.weight')).toBe(true);
    expect(weights.get('classifier.weight')!.shape).toEqual([2, 128]);
    // The trained model stays alive in the worker; nothing else may remain.
    const modelTensors = state.trained!.model.params.size;
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(modelTensors + 2);
  });
});
