// Resuming token-cls (WNUT-17) and qa (SQuAD) runs of the studio's tiny BERT on wasm: a state the
// loop hands out at an epoch end, and one handed out mid-epoch by the clock, each continue to
// bitwise the same final weights, the same history (train losses and validation metrics) and the
// same best epoch as the uninterrupted run, and the loop leaks no tensor.
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConll, parseTable, squadFromTable, SQUAD_CSV_COLUMNS, tagList } from '../../../src/data';
import type { BertModel } from '../../../src/model';
import { nodeFolderSource } from '../../../src/model/checkpoint/nodeSource';
import { groupSplit } from '../../../src/train/tasks/groupSplit';
import { qaDataset } from '../../../src/train/tasks/qa';
import { qaFeatures } from '../../../src/train/tasks/qaFeatures';
import {
  trainTask,
  type TaskDataset,
  type TaskTrainOptions,
  type TaskTrainState,
} from '../../../src/train/tasks/taskLoop';
import { loadTaskModel } from '../../../src/train/tasks/taskModel';
import { tokenClsDataset, tokenClsExamples } from '../../../src/train/tasks/tokenCls';
import { snapshotWeights } from '../../../src/train/trainState';
import { sameWeights } from '../reliability-train/helpers';
import { sharedPath } from '../shared';
import { useWasm } from './helpers';

beforeAll(useWasm);

const MODEL = nodeFolderSource(sharedPath('models', 'studio-bert-tiny-mlm'));
const OPTS: Partial<TaskTrainOptions> = {
  epochs: 3,
  batchSize: 8,
  lr: 2e-3,
  seed: 7,
  warmupRatio: 0.1,
  reportIntervalMs: 0,
  bestMetric: 'f1',
};

/** A clock that moves 100 ms each time it is read. */
function ticking(): () => number {
  let t = 0;
  return () => (t += 100);
}

/**
 * Trains once with checkpoints (epoch ends and every 1.5 s of the ticking clock), then resumes a
 * fresh model from epoch 1's state and from the last mid-epoch one; both must end identically.
 */
async function resumesExactly<M>(fresh: () => Promise<BertModel>, data: TaskDataset<M>): Promise<void> {
  const tensors = tf.memory().numTensors;
  const a = await fresh();
  const states: TaskTrainState<M>[] = [];
  const full = await trainTask(a, data, OPTS, () => undefined, undefined, undefined, {
    now: ticking(),
    checkpointEveryMs: 1500,
    onCheckpoint: (s) => void states.push(structuredClone(s)),
  });
  const final = await snapshotWeights(a.variables);
  a.dispose();
  expect(full.reason).toBe('completed');
  expect(full.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
  const ends = states.filter((s) => s.batchInEpoch === 0);
  const mid = states.filter((s) => s.batchInEpoch > 0);
  const perEpoch = Math.ceil(data.trainLengths.length / 8);
  expect(ends.map((s) => [s.epoch, s.globalStep, s.history.length])).toEqual([
    [1, perEpoch, 1],
    [2, 2 * perEpoch, 2],
  ]);
  expect(mid.length).toBeGreaterThan(0);
  for (const from of [ends[0]!, mid.at(-1)!]) {
    const b = await fresh();
    const steps: number[] = [];
    const res = await trainTask(
      b,
      data,
      OPTS,
      (e) => e.type === 'step' && steps.push(e.step),
      undefined,
      structuredClone(from),
    );
    expect(steps[0]).toBe(from.globalStep + 1); // continues, does not redo
    expect(res.reason).toBe('completed');
    expect(res.history).toEqual(full.history);
    expect(res.best).toEqual(full.best);
    expect(sameWeights(final, await snapshotWeights(b.variables))).toEqual([]);
    b.dispose();
  }
  expect(tf.memory().numTensors).toBe(tensors);
}

describe('resuming token-cls and qa runs', () => {
  it('NER on a WNUT-17 slice resumes to the uninterrupted weights and metrics', { timeout: 120_000 }, async () => {
    const sentences = parseConll(await readFile(sharedPath('data', 'wnut17', 'wnut17train.conll'), 'utf8')).filter(
      (s) => s.tags.some((t) => t !== 'O'),
    );
    const labels = tagList(sentences);
    const fresh = async () => (await loadTaskModel(MODEL, { head: 'token-cls', labels, seed: 1 })).model;
    const probe = await loadTaskModel(MODEL, { head: 'token-cls', labels, seed: 1 });
    probe.model.dispose();
    const tokenizer = probe.tokenizer;
    const pick = (from: number, n: number) => tokenClsExamples(sentences.slice(from, from + n), tokenizer, labels, 24);
    const data = tokenClsDataset(pick(0, 44), pick(44, 16), labels, { padId: tokenizer.padId, evalBatchSize: 16 });
    await resumesExactly(fresh, data);
  });

  it('QA on a SQuAD slice resumes to the uninterrupted weights and metrics', { timeout: 120_000 }, async () => {
    const table = await parseTable(
      new Uint8Array(await readFile(sharedPath('data', 'squad', 'squad_v1.1_dev_rebuilt_minus_xquad.csv'))),
      { fileName: 'squad.csv' },
    );
    const all = squadFromTable(table, SQUAD_CSV_COLUMNS).slice(0, 400);
    const split = groupSplit(
      all.map((e) => e.context),
      0.3,
      3,
    );
    const train = split.train.slice(0, 12).map((i) => all[i]!);
    const valid = split.validation.slice(0, 6).map((i) => all[i]!);
    const fresh = async () => (await loadTaskModel(MODEL, { head: 'qa', seed: 1 })).model;
    const probe = await loadTaskModel(MODEL, { head: 'qa', seed: 1 });
    probe.model.dispose();
    const win = { maxLength: 64, docStride: 24 };
    const features = qaFeatures(train, probe.tokenizer, win);
    const data = qaDataset(
      features,
      { examples: valid, features: qaFeatures(valid, probe.tokenizer, win) },
      { padId: probe.tokenizer.padId, evalBatchSize: 32 },
    );
    expect(features.length).toBeGreaterThan(train.length); // long contexts span several windows
    await resumesExactly(fresh, data);
  });
});
