// NER runs evaluate every N updates too (the shared epoch loop's evalEverySteps): an 'eval' event
// after each Nth update but an epoch's last, and evaluating changes nothing in training: the step
// losses and the epoch-end train loss and metrics are bitwise those of a run that only evaluates at
// epoch ends. WNUT-17 slice, the studio's tiny BERT on wasm.
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConll, tagList } from '../../../src/data';
import { nodeFolderSource } from '../../../src/model/checkpoint/nodeSource';
import { trainTask, type TaskTrainEvent, type TaskTrainOptions } from '../../../src/train/tasks/taskLoop';
import { loadTaskModel } from '../../../src/train/tasks/taskModel';
import { tokenClsDataset, tokenClsExamples, type TokenClsMetrics } from '../../../src/train/tasks/tokenCls';
import { TrainingError } from '../../../src/train/errors';
import { sharedPath } from '../shared';
import { useWasm } from '../train/helpers';

beforeAll(useWasm);

const MODEL = nodeFolderSource(sharedPath('models', 'studio-bert-tiny-mlm'));
const OPTS: Partial<TaskTrainOptions> = {
  epochs: 1,
  batchSize: 8,
  lr: 2e-3,
  seed: 7,
  reportIntervalMs: 0,
  bestMetric: 'f1',
};

describe('token-cls evaluation every N updates', () => {
  it('emits eval events mid-epoch without changing what the run trains', { timeout: 120_000 }, async () => {
    const sentences = parseConll(await readFile(sharedPath('data', 'wnut17', 'wnut17train.conll'), 'utf8')).filter(
      (s) => s.tags.some((t) => t !== 'O'),
    );
    const labels = tagList(sentences);
    const run = async (o: Partial<TaskTrainOptions>) => {
      const { model, tokenizer } = await loadTaskModel(MODEL, { head: 'token-cls', labels, seed: 1 });
      const pick = (from: number, n: number) =>
        tokenClsExamples(sentences.slice(from, from + n), tokenizer, labels, 24);
      const data = tokenClsDataset(pick(0, 44), pick(44, 16), labels, { padId: tokenizer.padId, evalBatchSize: 16 });
      const events: TaskTrainEvent<TokenClsMetrics>[] = [];
      try {
        const res = await trainTask(model, data, { ...OPTS, ...o }, (e) => events.push(e));
        return { res, events };
      } finally {
        model.dispose();
      }
    };
    const plain = await run({});
    const every = await run({ evalEverySteps: 2 });
    const order = (events: TaskTrainEvent<TokenClsMetrics>[]) =>
      events.map((e) => (e.type === 'step' || e.type === 'eval' ? `${e.type}${e.step}` : e.type));
    // 44 rows / 8 = 6 updates; update 6 ends the epoch, which evaluates anyway.
    expect(order(every.events)).toEqual([
      ...['step1', 'step2', 'eval2', 'step3', 'step4', 'eval4', 'step5', 'step6'],
      ...['epochEnd', 'done'],
    ]);
    expect(order(plain.events).filter((t) => !t.startsWith('eval'))).toEqual(order(plain.events));
    const evals = every.events.flatMap((e) => (e.type === 'eval' ? [e] : []));
    expect(evals.map((e) => e.epoch)).toEqual([2 / 6, 4 / 6]);
    expect(evals[0]!.valid.micro.support).toBe(plain.res.history[0]!.valid!.micro.support);
    const stepsOf = (events: TaskTrainEvent<TokenClsMetrics>[]) =>
      events.flatMap((e) => (e.type === 'step' ? [[e.step, e.loss, e.lr, e.gradNorm]] : []));
    expect(stepsOf(every.events)).toEqual(stepsOf(plain.events));
    expect(every.res.history).toEqual(plain.res.history);
    // The best is the best of all three evaluations, by the same rule.
    const f1s = [...evals.map((e) => e.valid.micro.f1), plain.res.history[0]!.valid!.micro.f1];
    expect(every.res.best?.value).toBe(f1s.reduce((a, b) => (b > a ? b : a)));

    await expect(run({ evalEverySteps: -1 })).rejects.toThrow(TrainingError);
  });
});
