// A real, seeded NER fine-tuning run on the wasm backend: WNUT-17 from the studio's MLM-pretrained
// BERT-Tiny, evaluated on the first 300 dev sentences with seqeval. Predicting all "O" scores
// entity F1 = 0. Measured with the settings below: F1 0.154 (0.182 in one exploratory run whose
// weights differed from the first epoch at the 1e-7 level) after 100 updates; the bound is 0.10.
// Honest caveats, measured: this weak uncased model (no capitalisation cue) stays at all-"O" for
// the first ~80 updates, and on the natural mix of sentences (2/3 without any entity) it still
// predicts no entity after 140 updates, so the run trains on sentences that contain an entity;
// it then over-predicts entities and its token accuracy (0.876-0.881) ends ~2 points below all-"O"
// (0.899), which the test states instead of hiding.
import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConll, tagList } from '../../../src/data';
import { mulberry32, shuffleInPlace } from '../../../src/lib/rng';
import { nodeFolderSource } from '../../../src/model/checkpoint/nodeSource';
import { trainTask, type TaskTrainEvent } from '../../../src/train/tasks/taskLoop';
import { loadTaskModel } from '../../../src/train/tasks/taskModel';
import { tokenClsDataset, tokenClsExamples, type TokenClsMetrics } from '../../../src/train/tasks/tokenCls';
import { sharedPath } from '../shared';
import { useWasm } from '../train/helpers';

beforeAll(useWasm);

describe('NER on WNUT-17', () => {
  it('a seeded short run finds entities on held-out dev sentences', { timeout: 240_000 }, async () => {
    const read = async (f: string) => parseConll(await readFile(sharedPath('data', 'wnut17', f), 'utf8'));
    const train = await read('wnut17train.conll');
    const dev = (await read('emerging.dev.conll')).slice(0, 300);
    const labels = tagList(train);
    const withEntity = train.filter((s) => s.tags.some((t) => t !== 'O'));
    const subset = shuffleInPlace(withEntity, mulberry32(1)).slice(0, 800);
    const { model, tokenizer } = await loadTaskModel(nodeFolderSource(sharedPath('models', 'studio-bert-tiny-mlm')), {
      head: 'token-cls',
      labels,
      seed: 1,
    });
    const validEx = tokenClsExamples(dev, tokenizer, labels, 32);
    const data = tokenClsDataset(tokenClsExamples(subset, tokenizer, labels, 32), validEx, labels, {
      padId: tokenizer.padId,
      evalBatchSize: 64,
    });
    const events: TaskTrainEvent<TokenClsMetrics>[] = [];
    const tensors = tf.memory().numTensors;
    const t0 = performance.now();
    const res = await trainTask(
      model,
      data,
      { epochs: 2, lr: 2e-3, batchSize: 16, schedule: 'constant', warmupRatio: 0.1, seed: 3, bestMetric: 'f1' },
      (e) => events.push(e),
    );
    const seconds = (performance.now() - t0) / 1000;
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();

    const O = labels.indexOf('O');
    let allO = 0;
    let scored = 0;
    for (const e of validEx)
      for (const y of e.labels) {
        if (y < 0) continue;
        scored++;
        if (y === O) allO++;
      }
    const epochs = events.filter((e) => e.type === 'epochEnd');
    const best = res.best!.valid;
    console.log(
      JSON.stringify({
        seconds,
        allOAccuracy: allO / scored,
        epochs: epochs.map((e) => ({
          loss: e.trainLoss,
          f1: e.valid?.micro.f1,
          acc: e.valid?.accuracy,
          n: e.valid?.predicted,
        })),
      }),
    );
    expect(epochs).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'completed', steps: 100, totalSteps: 100 });
    expect(epochs[1]!.trainLoss).toBeLessThan(epochs[0]!.trainLoss);
    expect(best.micro.support).toBe(278); // entities in the first 300 dev sentences that survive 32 tokens
    expect(best.micro.f1).toBeGreaterThan(0.1);
    expect(best.predicted).toBeGreaterThan(50);
    expect(best.accuracy).toBeGreaterThan(allO / scored - 0.05);
    expect(res.best!.value).toBe(best.micro.f1);
  });
});
