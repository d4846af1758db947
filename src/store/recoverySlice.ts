// Getting a run back after a reload, a closed tab or a dead worker: the worker's list of saved
// checkpoints, "Resume training" (reload the dataset and the model by their descriptors, then
// continue the run from its checkpoint), restarting a crashed worker, falling back to another
// backend when the GPU is lost, and the out-of-memory retry with half the batch.
import { BACKEND_ORDER, type BackendName } from '../lib/backends';
import type { CheckpointInfo, FromWorker, ModelDescriptor, ModelSource } from '../train/protocol';
import { getTrainer } from './trainer';
import { isTrainingActive } from './trainingSlice';
import type { SliceCreator, StudioState } from './types';

export interface RecoveryState {
  /** Runs the worker holds a checkpoint of, newest first. */
  checkpoints: CheckpointInfo[];
  /** The latest checkpoint of the run in progress. */
  lastSaved: { runId: string; epoch: number; step: number } | null;
  /** The run being brought back (dataset and model reloading, then training). */
  resuming: string | null;
  /** Set by an out-of-memory failure: the batch settings that did not fit. */
  oom: { batchSize: number; gradAccumSteps: number } | null;
  /** Counts the worker's checkpoint lists, to wait for the next one. */
  listed: number;
}

type RecoveryEvent = Extract<
  FromWorker,
  { type: 'checkpoints' | 'checkpointSaved' | 'warning' | 'workerLost' | 'deviceLost' | 'error' }
>;

export interface RecoverySlice {
  recovery: RecoveryState;
  refreshCheckpoints: () => void;
  resumeRun: (runId: string) => Promise<void>;
  discardCheckpoint: (runId: string) => void;
  retryHalfBatch: () => void;
  onRecoveryEvent: (msg: RecoveryEvent) => void;
}

/** How to load the model again; null for picked files, which only the user can pick again. */
export function modelSource(d: ModelDescriptor | null): Exclude<ModelSource, { kind: 'files' }> | null {
  if (d?.kind === 'hub') return { kind: 'hub', id: d.id, hub: d.hub };
  if (d?.kind === 'library') return { kind: 'library', id: d.id };
  return null;
}

/** The backend to try after `lost`: the next in the usual order. */
export function nextBackend(lost: BackendName): BackendName {
  return BACKEND_ORDER[Math.min(BACKEND_ORDER.indexOf(lost) + 1, BACKEND_ORDER.length - 1)]!;
}

export const createRecoverySlice: SliceCreator<RecoverySlice> = (set, get, api) => {
  const patch = (p: Partial<RecoveryState>) => set((s) => ({ recovery: { ...s.recovery, ...p } }));
  /** Resolves once `ready` holds for the store. */
  const until = (ready: (s: StudioState) => boolean): Promise<void> =>
    new Promise((resolve) => {
      if (ready(get())) return resolve();
      const off = api.subscribe((s) => {
        if (!ready(s)) return;
        off();
        resolve();
      });
    });

  /** Dataset and model back in the worker as the checkpoint describes them; throws in words. */
  const reload = async (cp: CheckpointInfo): Promise<void> => {
    if (!get().dataset.inWorker) {
      await get().restoreDataset();
      await until((s) => s.dataset.inWorker || !s.dataset.restoring);
      if (!get().dataset.inWorker)
        throw new Error(`Load ${cp.dataset?.name ?? 'the dataset'} in the Data step, then resume.`);
    }
    const { model } = get();
    if (model.status === 'ready' && model.info?.id === cp.modelId) return;
    const source = modelSource(cp.model);
    if (!source) {
      const names = cp.model?.kind === 'files' ? ` (${cp.model.names.join(', ')})` : '';
      throw new Error(`Pick the model files${names} again in the Model step, then resume.`);
    }
    const label =
      source.kind === 'hub' ? source.id : (model.library.find((m) => m.id === source.id)?.name ?? cp.modelId);
    get().loadModel(source, label);
    await until((s) => s.model.status !== 'loading');
    if (get().model.status !== 'ready') throw new Error(`Could not load ${label} to resume the run.`);
  };

  /** A fresh worker on `backend`; the dataset, model and run list come back through it. */
  const restartEngine = async (backend: BackendName | undefined): Promise<void> => {
    const restart = getTrainer().restart;
    if (!restart) return;
    set((s) => ({
      backend: { status: 'starting' },
      dataset: { ...s.dataset, inWorker: false, restoring: false, statsStatus: 'idle' },
      model: { ...s.model, status: 'idle', info: null, predicts: false },
      training: isTrainingActive(s.training.status) ? { ...s.training, status: 'stopped' } : s.training,
    }));
    try {
      const ready = await restart(backend);
      set({ backend: { status: 'ready', name: ready.backend, skipped: ready.skipped, notes: ready.notes } });
    } catch (err) {
      set({ backend: { status: 'failed', error: err instanceof Error ? err.message : String(err) } });
      return;
    }
    get().refreshLibrary();
    const listed = get().recovery.listed;
    get().refreshCheckpoints();
    void get().restoreDataset();
    await until((s) => s.recovery.listed > listed);
  };

  /** The run a lost worker was training, marked stopped so it is offered for resuming. */
  const interruptedRun = (): string | null => {
    const { project, training } = get();
    const run = project.runs.find((r) => r.id === project.currentRunId);
    if (!run || !(isTrainingActive(training.status) || run.status === 'running' || run.status === 'failed'))
      return null;
    get().updateRun(run.id, (r) => ({ ...r, status: 'stopped', finishedAt: Date.now() }));
    return run.id;
  };

  /** Restarts the worker (on `fallback` when given) and offers, or with `fallback` starts, the resume. */
  const onLost = async (message: string, fallback: BackendName | null): Promise<void> => {
    const runId = interruptedRun();
    const backend = fallback ?? backendName(get());
    const what = fallback ? `; switched to ${fallback}` : '; the engine was restarted';
    const next = runId
      ? fallback
        ? ', resuming the run from its last checkpoint'
        : ': resume the run from its last checkpoint'
      : '';
    get().setError('engine', `${message[0]?.toUpperCase() ?? ''}${message.slice(1)}${what}${next}.`);
    await restartEngine(backend);
    const saved = get().recovery.checkpoints.some((c) => c.runId === runId);
    if (runId && fallback && saved && get().backend.status === 'ready') await get().resumeRun(runId);
  };

  return {
    recovery: { checkpoints: [], lastSaved: null, resuming: null, oom: null, listed: 0 },
    refreshCheckpoints: () => getTrainer().send({ type: 'listCheckpoints' }),
    discardCheckpoint: (runId) => getTrainer().send({ type: 'deleteCheckpoint', runId }),
    resumeRun: async (runId) => {
      const cp = get().recovery.checkpoints.find((c) => c.runId === runId);
      if (!cp || get().recovery.resuming || isTrainingActive(get().training.status)) return;
      patch({ resuming: runId, oom: null });
      get().setError('train', null);
      try {
        await reload(cp);
        get().updateRun(runId, (r) => ({ ...r, status: 'running', finishedAt: null }));
        set((s) => ({
          project: { ...s.project, currentRunId: runId },
          training: { ...s.training, status: 'starting', last: null },
          recovery: { ...s.recovery, lastSaved: { runId, epoch: cp.epoch, step: cp.step } },
        }));
        getTrainer().send({ type: 'train', settings: cp.settings, resume: runId });
      } catch (err) {
        get().setError('train', err instanceof Error ? err.message : String(err));
      } finally {
        patch({ resuming: null });
      }
    },
    retryHalfBatch: () => {
      const oom = get().recovery.oom;
      if (!oom) return;
      get().setOption('batchSize', Math.max(1, Math.floor(oom.batchSize / 2)));
      get().setOption('gradAccumSteps', oom.gradAccumSteps * 2);
      patch({ oom: null });
      get().startTraining();
    },
    onRecoveryEvent: (msg) => {
      switch (msg.type) {
        case 'checkpoints':
          return patch({ checkpoints: msg.runs, listed: get().recovery.listed + 1 });
        case 'checkpointSaved':
          patch({ lastSaved: { runId: msg.runId, epoch: msg.epoch, step: msg.step } });
          return get().refreshCheckpoints();
        case 'warning':
          return get().setError('train', msg.message);
        case 'workerLost':
          return void onLost(msg.message, null);
        case 'deviceLost':
          return void onLost(msg.message, nextBackend(msg.backend));
        case 'error': {
          const run = get().project.runs.find((r) => r.id === get().project.currentRunId);
          if (msg.kind !== 'oom' || !run) return;
          return patch({
            oom: { batchSize: run.settings.batchSize, gradAccumSteps: run.settings.gradAccumSteps ?? 1 },
          });
        }
      }
    },
  };
};

function backendName(s: StudioState): BackendName | undefined {
  return s.backend.status === 'ready' ? s.backend.name : undefined;
}
