// The worker's 'train' handler with checkpoints on a Map-backed store, in Node on wasm: a run
// stopped after epoch 1 and resumed in a fresh worker state from its checkpoint ends with exactly
// the weights of an uninterrupted run; resuming on another file or with other settings is refused;
// a full disk is reported and training goes on.
import { beforeAll, describe, expect, it } from 'vitest';
import { memoryKv, type KvStore } from '../../../src/io';
import type { FromWorker, ModelSource, TrainSettings } from '../../../src/train/protocol';
import { CheckpointStore, datasetIdentity, describeModel } from '../../../src/train/worker/checkpoints';
import { loadDataset } from '../../../src/train/worker/dataset';
import { loadModel } from '../../../src/train/worker/model';
import type { RunCheckpoints } from '../../../src/train/worker/resume';
import { newState, type WorkerState } from '../../../src/train/worker/state';
import { runTraining } from '../../../src/train/worker/training';
import { snapshotWeights } from '../../../src/train/trainState';
import { useWasm } from '../train/helpers';
import { modelFiles, sameWeights, SETTINGS, smsSlice } from './helpers';

const DATA = { name: 'sms.csv', text: smsSlice(40) }; // 160 rows: 128 train = 8 updates an epoch
const SOURCE: ModelSource = { kind: 'files', files: modelFiles() };

async function worker(data = DATA): Promise<{ state: WorkerState; origin: Pick<RunCheckpoints, 'dataset' | 'model'> }> {
  const state = newState();
  const ignore = (): void => undefined;
  await loadDataset(state, data, ignore);
  await loadModel(state, SOURCE, ignore);
  return { state, origin: { dataset: await datasetIdentity(data), model: describeModel(SOURCE) } };
}

function run(store: CheckpointStore, origin: Pick<RunCheckpoints, 'dataset' | 'model'>, runId: string, resume = false) {
  return { store, runId, resume, ...origin, everyMs: 0 };
}

const of = <T extends FromWorker['type']>(events: FromWorker[], type: T) =>
  events.filter((e): e is Extract<FromWorker, { type: T }> => e.type === type);

describe('checkpointed training in the worker', () => {
  const kv = memoryKv();
  const store = new CheckpointStore(kv, { estimate: null });
  let uninterrupted: Record<string, Float32Array>;

  beforeAll(async () => {
    await useWasm();
    const { state } = await worker();
    await runTraining(state, SETTINGS, () => undefined); // no checkpoints at all
    uninterrupted = await snapshotWeights(state.trained!.model.params);
    state.trained!.model.dispose();
  });

  it('saves epoch 1, survives a stop, and resumes in a fresh worker to the same final weights', async () => {
    const first = await worker();
    const events: FromWorker[] = [];
    await runTraining(
      first.state,
      SETTINGS,
      (m) => {
        events.push(m);
        if (m.type === 'checkpointSaved') first.state.control?.stop();
      },
      run(store, first.origin, 'run-a'),
    );
    const params = [...first.state.trained!.model.params.values()].reduce((n, v) => n + v.size, 0);
    first.state.trained!.model.dispose();
    expect(of(events, 'checkpointSaved')).toEqual([
      { type: 'checkpointSaved', runId: 'run-a', epoch: 1, step: 8, sizeBytes: expect.any(Number) },
    ]);
    expect(of(events, 'done')[0]?.stopped).toBe(true);
    const [saved] = await store.list();
    expect(saved).toMatchObject({
      runId: 'run-a',
      epoch: 1,
      batchInEpoch: 0,
      step: 8,
      labels: ['ham', 'spam'],
      modelId: first.state.base!.info.id,
      model: { kind: 'files', names: expect.arrayContaining(['config.json', 'vocab.txt']) },
      dataset: { name: 'sms.csv', sizeBytes: new TextEncoder().encode(DATA.text).byteLength },
    });
    expect(saved!.history.map((h) => h.epoch)).toEqual([1]);
    expect(saved!.history[0]!.valid!.confusion.flat().reduce((a, b) => a + b, 0)).toBe(32);
    // weights, AdamW m and v, and the best weights: four float32 copies of every parameter
    expect(saved!.sizeBytes).toBe(16 * params);

    const second = await worker();
    const resumed: FromWorker[] = [];
    await runTraining(
      second.state,
      saved!.settings,
      (m) => void resumed.push(m),
      run(store, second.origin, 'run-a', true),
    );
    expect(of(resumed, 'epochEnd').map((e) => e.epoch)).toEqual([2]);
    expect(Math.min(...of(resumed, 'step').map((e) => e.step))).toBeGreaterThan(8);
    expect(of(resumed, 'done')[0]?.stopped).toBe(false);
    expect(sameWeights(uninterrupted, await snapshotWeights(second.state.trained!.model.params))).toEqual([]);
    second.state.trained!.model.dispose();
    expect(await store.list()).toEqual([]); // a finished run's checkpoint is removed
    expect(await kv.keys('states')).toEqual([]);
  });

  it('refuses to resume on another file, with other settings, or without a checkpoint', async () => {
    const w = await worker();
    let stops = 0;
    await runTraining(
      w.state,
      SETTINGS,
      (m) => m.type === 'checkpointSaved' && ++stops && w.state.control?.stop(),
      run(store, w.origin, 'run-b'),
    );
    w.state.trained!.model.dispose();
    const other = await worker({ name: 'sms.csv', text: smsSlice(41) });
    await expect(
      runTraining(other.state, SETTINGS, () => undefined, run(store, other.origin, 'run-b', true)),
    ).rejects.toThrow(/not the file this run was trained on \(sms\.csv/);
    const changed: TrainSettings = { ...SETTINGS, batchSize: 8 };
    await expect(runTraining(w.state, changed, () => undefined, run(store, w.origin, 'run-b', true))).rejects.toThrow(
      /settings changed since the checkpoint \(batchSize\)/,
    );
    await expect(
      runTraining(w.state, SETTINGS, () => undefined, run(store, w.origin, 'run-zzz', true)),
    ).rejects.toThrow(/no checkpoint of run run-zzz/);
    expect(w.state.control).toBeNull();
    // Starting a new run drops the older run's checkpoint (one resumable run at a time).
    expect((await store.list()).map((c) => c.runId)).toEqual(['run-b']);
  });

  it('reports a full disk as a warning and trains on', async () => {
    const full: KvStore = {
      ...memoryKv(),
      put: async () => {
        throw Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
      },
    };
    const w = await worker({ name: 'small.csv', text: smsSlice(10) });
    const events: FromWorker[] = [];
    await runTraining(
      w.state,
      SETTINGS,
      (m) => void events.push(m),
      run(new CheckpointStore(full, { estimate: null }), w.origin, 'run-c'),
    );
    w.state.trained!.model.dispose();
    const [warning] = of(events, 'warning');
    expect(warning?.message).toMatch(
      /Could not save a training checkpoint \(browser storage is full.*MB\)\); training goes on/,
    );
    expect(of(events, 'epochEnd').map((e) => e.epoch)).toEqual([1, 2]);
    expect(of(events, 'done')[0]?.stopped).toBe(false);
    expect(of(events, 'error')).toEqual([]);
  });
});
