// The store's recovery paths with the worker replaced by a scripted fake (no tfjs): checkpoint
// status, GPU loss -> restart on the next backend -> dataset and model reloaded -> resume sent;
// a dead worker -> restart and an offer; out-of-memory -> retry with half the batch; picked model
// files cannot be reopened. IndexedDB is a small in-memory fake so the stored dataset file reloads.
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendName } from '../../../src/lib/backends';
import { setTrainer, type Trainer } from '../../../src/store/trainer';
import type { CheckpointInfo, FromWorker, ModelInfo, ToWorker } from '../../../src/train/protocol';
import { installFakeIndexedDb } from './fakeIdb';
import { SETTINGS } from './helpers';

installFakeIndexedDb();

const sent: ToWorker[] = [];
const restarts: (BackendName | undefined)[] = [];
const listeners = new Set<(m: FromWorker) => void>();
let saved: CheckpointInfo[] = [];
const emit = (m: FromWorker) => listeners.forEach((l) => l(m));

const INFO: ModelInfo = {
  id: 'studio-bert-tiny-mlm',
  architectures: ['BertForMaskedLM'],
  layers: 2,
  hiddenSize: 128,
  heads: 2,
  vocabSize: 30522,
  maxPositions: 512,
  parameters: 4_385_920,
  sizeBytes: 17_563_648,
  format: 'safetensors',
  task: null,
  labels: null,
  newlyInitialised: [],
};

/** Answers as the worker would, one task later. */
function answer(m: ToWorker): void {
  const later = (r: FromWorker) => setTimeout(() => emit(r), 0);
  if (m.type === 'loadDataset') later({ type: 'datasetLoaded', summary: summary(m.file.name) });
  if (m.type === 'loadModel') later({ type: 'modelLoaded', info: INFO });
  if (m.type === 'listCheckpoints') later({ type: 'checkpoints', runs: saved });
}

const fake: Trainer = {
  on: (l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  send: (m) => {
    sent.push(m);
    answer(m);
  },
  init: async (b) => ({ type: 'ready', backend: b ?? 'webgpu', skipped: [], notes: [] }),
  restart: async (b) => {
    restarts.push(b);
    return { type: 'ready', backend: b ?? 'webgpu', skipped: [], notes: [] };
  },
};

function summary(fileName: string) {
  return {
    fileName,
    rows: 200,
    columns: ['text', 'label'],
    preview: [['hi', 'ham']],
    format: 'csv',
    delimiter: ',',
    quoting: 'rfc4180',
    encoding: 'utf-8',
    hasHeader: true,
    guess: { text: 'text', textPair: null, label: 'label' },
    warnings: [],
  };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
}
const sentOf = <T extends ToWorker['type']>(type: T) =>
  sent.filter((m): m is Extract<ToWorker, { type: T }> => m.type === type);

setTrainer(fake);
const { useStudio, connectStudio } = await import('../../../src/store');
const store = () => useStudio.getState();

function checkpointOf(runId: string, model: CheckpointInfo['model']): CheckpointInfo {
  return {
    runId,
    savedAt: 1,
    epoch: 1,
    batchInEpoch: 0,
    step: 12,
    settings: { ...SETTINGS, gradAccumSteps: 1 },
    labels: ['ham', 'spam'],
    dataset: { name: 'sms.csv', sizeBytes: 100, headHash: 'ab' },
    model,
    modelId: INFO.id,
    history: [],
    sizeBytes: 1000,
  };
}

beforeAll(async () => {
  connectStudio();
  await store().startEngine('webgpu', false);
  store().loadDataset(new File(['text,label\nhi,ham\n'], 'sms.csv'));
  await until(() => store().dataset.inWorker, 'the dataset');
  store().loadModel({ kind: 'hub', id: INFO.id, hub: 'http://x/hub' }, INFO.id);
  await until(() => store().model.status === 'ready', 'the model');
});

describe('store recovery', () => {
  it('names the run it starts, shows checkpoints, and on GPU loss resumes on the next backend', async () => {
    store().startTraining();
    const [train] = sentOf('train');
    const runId = store().project.currentRunId!;
    expect(train).toMatchObject({ runId, settings: { gradAccumSteps: 1 } });
    expect(train?.resume).toBeUndefined();
    saved = [checkpointOf(runId, { kind: 'hub', id: INFO.id, hub: 'http://x/hub' })];
    emit({ type: 'checkpointSaved', runId, epoch: 1, step: 12, sizeBytes: 1000 });
    expect(store().recovery.lastSaved).toEqual({ runId, epoch: 1, step: 12 });

    sent.length = 0;
    emit({ type: 'deviceLost', backend: 'webgpu', message: 'the GPU device was lost (unknown)' });
    await until(() => sentOf('train').length > 0, 'the resumed run');
    expect(restarts).toEqual(['webgl']);
    expect(store().backend).toMatchObject({ status: 'ready', name: 'webgl' });
    expect(store().ui.errors.engine).toBe(
      'The GPU device was lost (unknown); switched to webgl, resuming the run from its last checkpoint.',
    );
    // The new worker got the stored dataset file and the model by its descriptor before the resume.
    expect(sent.map((m) => m.type).filter((t) => t === 'loadDataset' || t === 'loadModel' || t === 'train')).toEqual([
      'loadDataset',
      'loadModel',
      'train',
    ]);
    expect(sentOf('loadModel')[0]?.source).toEqual({ kind: 'hub', id: INFO.id, hub: 'http://x/hub' });
    expect(sentOf('train')[0]).toEqual({ type: 'train', settings: saved[0]!.settings, resume: runId });
    expect(store().training.status).toBe('starting');
    expect(store().project.runs.find((r) => r.id === runId)?.status).toBe('running');
  });

  it('restarts a dead worker on the same backend and offers the resume instead of starting it', async () => {
    const runId = store().project.currentRunId!;
    sent.length = 0;
    emit({ type: 'workerLost', reason: 'unresponsive', message: 'the trainer worker stopped answering' });
    await until(() => store().recovery.listed > 0 && store().dataset.inWorker, 'the restarted worker');
    expect(restarts.at(-1)).toBe('webgl');
    expect(store().ui.errors.engine).toMatch(/stopped answering; the engine was restarted: resume the run/);
    expect(store().project.runs.find((r) => r.id === runId)?.status).toBe('stopped');
    expect(store().training.status).toBe('stopped');
    expect(sentOf('train')).toEqual([]);
    expect(store().recovery.checkpoints.map((c) => c.runId)).toEqual([runId]);
    await store().resumeRun(runId);
    expect(sentOf('train')).toEqual([{ type: 'train', settings: saved[0]!.settings, resume: runId }]);
  });

  it('offers half the batch with twice the accumulation after running out of memory', async () => {
    emit({ type: 'error', during: 'train', kind: 'oom', message: 'Out of memory on a batch of 16 rows x 32 tokens' });
    expect(store().training.status).toBe('idle');
    expect(store().recovery.oom).toEqual({ batchSize: 16, gradAccumSteps: 1 });
    sent.length = 0;
    store().retryHalfBatch();
    const [train] = sentOf('train');
    expect(train?.settings).toMatchObject({ batchSize: 8, gradAccumSteps: 2 });
    expect(train?.runId).toBe(store().project.currentRunId);
    expect(store().recovery.oom).toBeNull();
    emit({ type: 'done', stopped: false, bestEpoch: 1, report: null, misclassified: [], labels: ['ham', 'spam'] });
    expect(store().training.status).toBe('done');
  });

  it('asks for picked model files again instead of resuming without them', async () => {
    const cp = checkpointOf('run-files', { kind: 'files', names: ['config.json', 'model.safetensors'] });
    saved = [cp];
    emit({ type: 'checkpoints', runs: saved });
    useStudio.setState((s) => ({ model: { ...s.model, status: 'ready', info: { ...INFO, id: 'other-model' } } }));
    sent.length = 0;
    await store().resumeRun('run-files');
    expect(sentOf('train')).toEqual([]);
    expect(store().ui.errors.train).toBe(
      'Pick the model files (config.json, model.safetensors) again in the Model step, then resume.',
    );
  });
});
