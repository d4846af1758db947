// The worker's 'train' handler with checkpoints for token-cls and qa, in Node on wasm (the code the
// Web Worker runs), on a Map-backed checkpoint store: a run stopped after epoch 1's checkpoint and
// resumed in a fresh worker state ends with exactly the weights and the report of an uninterrupted
// run, and its checkpoint is gone once it finishes; changed settings are refused.
import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryKv } from '../../../src/io';
import type { FromWorker, ModelSource, TrainSettings } from '../../../src/train/protocol';
import { snapshotWeights } from '../../../src/train/trainState';
import { CheckpointStore, datasetIdentity, describeModel } from '../../../src/train/worker/checkpoints';
import { loadDataset } from '../../../src/train/worker/dataset';
import { loadModel } from '../../../src/train/worker/model';
import type { RunCheckpoints } from '../../../src/train/worker/resume';
import { newState, type WorkerState } from '../../../src/train/worker/state';
import { runTraining } from '../../../src/train/worker/training';
import { sameWeights } from '../reliability-train/helpers';
import { BASE_SETTINGS, modelFiles, wnutSlice } from '../worker/workerFiles';
import { sharedPath } from '../shared';
import { useWasm } from './helpers';

beforeAll(useWasm);

const SOURCE: ModelSource = { kind: 'files', files: modelFiles() };
type Origin = Pick<RunCheckpoints, 'dataset' | 'model'>;
type Data = { name: string; text: string };

async function worker(data: Data): Promise<{ state: WorkerState; origin: Origin }> {
  const state = newState();
  const ignore = (): void => undefined;
  await loadDataset(state, data, ignore);
  await loadModel(state, SOURCE, ignore);
  return { state, origin: { dataset: await datasetIdentity(data), model: describeModel(SOURCE) } };
}

/** The first `perContext` questions of each of the first `contexts` SQuAD paragraphs, as CSV. */
function squadSlice(contexts: number, perContext: number): string {
  const file = fs.readFileSync(sharedPath('data', 'squad', 'squad_v1.1_dev_rebuilt_minus_xquad.csv'), 'utf8');
  const rows = Papa.parse<Record<string, string>>(file, { header: true, skipEmptyLines: true }).data;
  const byContext = new Map<string, Record<string, string>[]>();
  for (const r of rows) {
    const list = byContext.get(r.context!) ?? [];
    if (list.length < perContext && (list.length > 0 || byContext.size < contexts))
      byContext.set(r.context!, [...list, r]);
  }
  const columns = ['id', 'context', 'question', 'answer_text', 'answer_start'];
  return Papa.unparse([...byContext.values()].flat(), { columns, newline: '\n' });
}

const of = <T extends FromWorker['type']>(events: FromWorker[], type: T) =>
  events.filter((e): e is Extract<FromWorker, { type: T }> => e.type === type);

/** Uninterrupted vs stopped-after-epoch-1-then-resumed, each in fresh worker states. */
async function stopAndResume(data: Data, settings: TrainSettings, reportKind: string): Promise<void> {
  const kv = memoryKv();
  const store = new CheckpointStore(kv, { estimate: null });
  const run = (origin: Origin, resume: boolean) => ({ store, runId: 'run-t', resume, ...origin, everyMs: 0 });

  const whole = await worker(data);
  const wholeEvents: FromWorker[] = [];
  await runTraining(whole.state, settings, (m) => void wholeEvents.push(m));
  const expected = await snapshotWeights(whole.state.trainedTask!.model.variables);
  whole.state.trainedTask!.model.dispose();

  const first = await worker(data);
  const events: FromWorker[] = [];
  const stopOnSave = (m: FromWorker) => {
    events.push(m);
    if (m.type === 'checkpointSaved') first.state.control?.stop();
  };
  await runTraining(first.state, settings, stopOnSave, run(first.origin, false));
  first.state.trainedTask!.model.dispose();
  expect(of(events, 'checkpointSaved').map((e) => e.epoch)).toEqual([1]);
  expect(of(events, 'done')[0]?.stopped).toBe(true);
  const [saved] = await store.list();
  expect(saved).toMatchObject({ runId: 'run-t', epoch: 1, batchInEpoch: 0, settings: { task: settings.task } });
  expect(saved!.history.map((h) => [h.epoch, h.valid?.kind])).toEqual([[1, reportKind]]);
  expect(saved!.history[0]!.valid).toEqual(of(wholeEvents, 'epochEnd')[0]!.valid);

  // Other settings on the same file and model cannot take this checkpoint.
  const tensors = tf.memory().numTensors;
  const other: TrainSettings = { ...settings, epochs: settings.epochs + 1 };
  await expect(runTraining(first.state, other, () => undefined, run(first.origin, true))).rejects.toThrow(
    /settings changed since the checkpoint \(epochs\)/,
  );
  expect(tf.memory().numTensors).toBe(tensors); // the model built for the refused run is freed

  const second = await worker(data);
  const resumed: FromWorker[] = [];
  await runTraining(second.state, saved!.settings, (m) => void resumed.push(m), run(second.origin, true));
  expect(of(resumed, 'epochEnd').map((e) => e.epoch)).toEqual([2]);
  expect(Math.min(...of(resumed, 'step').map((e) => e.step))).toBe(saved!.step + 1);
  const done = of(resumed, 'done')[0]!;
  expect(done.stopped).toBe(false);
  expect(done.report).toEqual(of(wholeEvents, 'done')[0]!.report);
  expect(sameWeights(expected, await snapshotWeights(second.state.trainedTask!.model.variables))).toEqual([]);
  second.state.trainedTask!.model.dispose();
  expect(await store.list()).toEqual([]); // a finished run's checkpoint is removed
  expect(await kv.keys('states')).toEqual([]);
}

describe('checkpointed token-cls and qa training in the worker', () => {
  it('NER: stops after epoch 1, resumes in a fresh worker to the same weights', { timeout: 120_000 }, async () => {
    const settings: TrainSettings = {
      ...BASE_SETTINGS,
      task: 'token-cls',
      tokensColumn: 'tokens',
      tagsColumn: 'tags',
      epochs: 2,
      batchSize: 8,
      maxLength: 32,
      learningRate: 1e-3,
    };
    await stopAndResume({ name: 'wnut.conll', text: wnutSlice(50) }, settings, 'entities');
  });

  it('QA: stops after epoch 1, resumes in a fresh worker to the same weights', { timeout: 120_000 }, async () => {
    const text = squadSlice(10, 3);
    const settings: TrainSettings = {
      ...BASE_SETTINGS,
      task: 'qa',
      contextColumn: 'context',
      questionColumn: 'question',
      answerColumn: 'answer_text',
      answerStartColumn: 'answer_start',
      epochs: 2,
      batchSize: 16,
      maxLength: 64,
      learningRate: 1e-3,
    };
    await stopAndResume({ name: 'squad30.csv', text }, settings, 'qa');
  });
});
