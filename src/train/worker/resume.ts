// Checkpointing inside a 'train' message: the hook that saves each resumable state (reporting,
// never throwing, when storage fails) and the checks before a run continues from its checkpoint:
// same file, same model, same labels, same settings, or the resumed weights would mean nothing.
import type { TrainState } from '../loop';
import type { CheckpointInfo, DatasetIdentity, EvalReport, ModelDescriptor, TrainSettings } from '../protocol';
import type { TaskTrainState } from '../tasks/taskLoop';
import { sameDataset, type CheckpointStore, type SavedState } from './checkpoints';
import { describeError } from './errors';
import { toReport } from './report';
import type { Post } from './state';

export interface RunCheckpoints {
  store: CheckpointStore;
  /** The page's run id: one checkpoint per run. */
  runId: string;
  /** Continue this run from its latest checkpoint instead of starting it. */
  resume: boolean;
  /** The dataset file and model source the worker holds now. */
  dataset: DatasetIdentity | null;
  model: ModelDescriptor | null;
  /** Also checkpoint mid-epoch at most this often (0 = epoch ends only). */
  everyMs: number;
}

/** What a fresh run needs to know about its origin to be saved. */
export interface RunFacts {
  settings: TrainSettings;
  labels: string[];
  modelId: string;
}

/** The saved state to continue a classification run from; throws, in words, when it cannot be resumed here. */
export function resumeState(c: RunCheckpoints, facts: RunFacts): Promise<TrainState> {
  return savedState<TrainState>(c, facts);
}

/** The same for a token-cls / qa run. */
export function resumeTaskState<M>(c: RunCheckpoints, facts: RunFacts): Promise<TaskTrainState<M>> {
  return savedState<TaskTrainState<M>>(c, facts);
}

/** `S` is the state type of the task in `facts.settings`: the settings check refuses another task. */
async function savedState<S extends SavedState>(c: RunCheckpoints, facts: RunFacts): Promise<S> {
  const saved = await c.store.load<S>(c.runId);
  if (!saved) throw new Error(`there is no checkpoint of run ${c.runId} to resume from`);
  const { info } = saved;
  if (!sameDataset(info.dataset, c.dataset)) {
    const want = info.dataset ? `${info.dataset.name} (${info.dataset.sizeBytes} bytes)` : 'unknown';
    throw new Error(`the loaded dataset is not the file this run was trained on (${want}): load that file to resume`);
  }
  if (info.modelId !== facts.modelId)
    throw new Error(
      `this run fine-tuned ${info.modelId}, but ${facts.modelId} is loaded: load ${info.modelId} to resume`,
    );
  if (info.labels.join('\u0000') !== facts.labels.join('\u0000'))
    throw new Error(`the labels differ from the run's (${info.labels.join(', ')}): resume with the same label column`);
  const changed = changedSettings(info.settings, facts.settings);
  if (changed.length)
    throw new Error(`settings changed since the checkpoint (${changed.join(', ')}): start a new run instead`);
  return saved.state;
}

function changedSettings(a: TrainSettings, b: TrainSettings): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof TrainSettings)[]);
  // An absent gradAccumSteps means 1 (settings saved before the field existed).
  const norm = (s: TrainSettings, k: keyof TrainSettings) =>
    JSON.stringify(k === 'gradAccumSteps' ? (s[k] ?? 1) : s[k]);
  return [...keys].filter((k) => norm(a, k) !== norm(b, k));
}

/** The seq-cls loop's onCheckpoint: saves, tells the page, and turns a failure into a warning. */
export function checkpointHook(c: RunCheckpoints, facts: RunFacts, post: Post): (state: TrainState) => Promise<void> {
  return saveHook(c, facts, post, (v) => toReport(v, facts.labels));
}

/** The token-cls / qa loop's onCheckpoint; `report` turns the task's metrics into the page's report. */
export function taskCheckpointHook<M>(
  c: RunCheckpoints,
  facts: RunFacts,
  post: Post,
  report: (m: M) => EvalReport,
): (state: TaskTrainState<M>) => Promise<void> {
  return saveHook(c, facts, post, report);
}

type WithHistory<V> = SavedState & { history: { epoch: number; trainLoss: number; valid: V | null }[] };

function saveHook<V>(
  c: RunCheckpoints,
  facts: RunFacts,
  post: Post,
  report: (v: V) => EvalReport,
): (state: WithHistory<V>) => Promise<void> {
  return async (state) => {
    try {
      const history: CheckpointInfo['history'] = state.history.map((h) => ({
        epoch: h.epoch,
        trainLoss: h.trainLoss,
        valid: h.valid ? report(h.valid) : null,
      }));
      const saved = await c.store.save(
        {
          runId: c.runId,
          settings: facts.settings,
          labels: facts.labels,
          dataset: c.dataset,
          model: c.model,
          modelId: facts.modelId,
          history,
        },
        state,
      );
      post({
        type: 'checkpointSaved',
        runId: c.runId,
        epoch: saved.epoch,
        step: saved.step,
        sizeBytes: saved.sizeBytes,
      });
    } catch (err) {
      post({
        type: 'warning',
        during: 'train',
        message: `Could not save a training checkpoint (${describeError(err)}); training goes on, but cannot be resumed from this point.`,
      });
    }
  };
}
