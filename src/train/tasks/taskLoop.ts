// A training loop for the BertModel heads other than sequence classification (token-cls, qa):
// the same HF Trainer semantics as loop.ts/runner.ts (AdamW with decay grouping, warmup + linear /
// cosine schedule, clip_grad_norm_, gradient accumulation, seeded epoch order, evaluation at each
// epoch end (and optionally every N updates), best weights by a metric, patience), the same step /
// eval / epochEnd / done / error event shapes with the task's own metrics type M, and the same
// resumable state: a run stopped at an optimizer-step boundary continues from its TaskTrainState to
// bitwise the same weights. The task supplies batches and evaluation; taskRun.ts runs the epochs.
import { yieldToEventLoop } from '../../lib/yieldTask';
import type { BertInputs, BertModel, HeadLabels } from '../../model';
import { asTrainingError, TrainingError } from '../errors';
import { isFrozen } from '../freeze';
import type { DoneReason, StepEvent, TrainErrorEvent, TrainOptions } from '../loop';
import { AdamW } from '../optimizer';
import { restoreRun, restoreWeights, TrainControl, type EpochSummary, type TrainState } from '../trainState';
import { runTaskEpochs, type TaskRun } from './taskRun';

/** One padded device batch; `dispose` frees its tensors. */
export interface TaskBatch {
  inputs: BertInputs;
  labels: HeadLabels;
  /** [B, T], for the out-of-memory message. */
  shape: [number, number];
  dispose(): void;
}

export interface TaskDataset<M> {
  /** Tokens per training row (epoch order is seeded over these rows). */
  trainLengths: readonly number[];
  trainBatch(rows: readonly number[]): TaskBatch;
  /** Validation metrics in eval mode, or null when there is no validation set. */
  evaluate: ((model: BertModel, yieldFn: () => Promise<void>) => Promise<M>) | null;
  /** A scalar of M by name (e.g. 'f1', 'loss'), for bestMetric. */
  score(m: M, name: string): number;
}

/** The seq-cls loop's options, less what only classification has; any metric name can be "best". */
export type TaskTrainOptions = Omit<
  TrainOptions,
  'bestMetric' | 'classWeights' | 'evalEverySteps' | 'groupByLength' | 'evalBatchSize'
> & {
  /** Metric name given to score(); 'loss' is lower-is-better, everything else higher. */
  bestMetric: string;
  /** Also evaluate every N updates (0 or absent = only at epoch ends). */
  evalEverySteps?: number;
};

export const TASK_TRAIN_DEFAULTS: TaskTrainOptions = {
  epochs: 3,
  batchSize: 16,
  lr: 5e-5,
  weightDecay: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  schedule: 'linear',
  warmupRatio: 0,
  warmupSteps: 0,
  maxGradNorm: 1,
  gradAccumSteps: 1,
  seed: 42,
  freeze: 'none',
  bestMetric: 'f1',
  patience: 0,
  evalEverySteps: 0,
  reportIntervalMs: 500,
};

/** A mid-epoch evaluation (evalEverySteps); `epoch` is fractional, as in the step event. */
export interface TaskEvalEvent<M> {
  type: 'eval';
  step: number;
  epoch: number;
  valid: M;
}
export interface TaskEpochEndEvent<M> {
  type: 'epochEnd';
  epoch: number;
  trainLoss: number;
  valid: M | null;
}
export interface TaskBest {
  step: number;
  epoch: number;
  metric: string;
  value: number;
}
export interface TaskDoneEvent {
  type: 'done';
  reason: DoneReason;
  steps: number;
  totalSteps: number;
  elapsedSec: number;
  best: TaskBest | null;
}
export type TaskTrainEvent<M> = StepEvent | TaskEvalEvent<M> | TaskEpochEndEvent<M> | TaskDoneEvent | TrainErrorEvent;

export type TaskEpochSummary<M> = EpochSummary<M>;

/** TrainState (trainState.ts) with the task's metrics in `best` and `history`; structured-cloneable. */
export type TaskTrainState<M> = TrainState<M>;

export interface TaskTrainResult<M> {
  reason: DoneReason;
  best: (TaskBest & { valid: M }) | null;
  history: TaskEpochSummary<M>[];
  /** Resumable state (also after 'completed'). */
  state: TaskTrainState<M>;
}

/** As loop.ts's TrainHooks, for a task run. */
export interface TaskTrainHooks<M> {
  /** Lets the host handle messages between batches; default setTimeout(0). */
  yieldFn?: () => Promise<void>;
  /** Clock in ms; default performance.now. */
  now?: () => number;
  /** Gets a resumable state at each epoch end but the last and, with checkpointEveryMs, between updates; awaited. */
  onCheckpoint?: (state: TaskTrainState<M>) => void | Promise<void>;
  /** Minimum time between mid-epoch checkpoints (0 = only at epoch ends). */
  checkpointEveryMs?: number;
}

function validate(o: TaskTrainOptions, n: number): void {
  for (const k of ['epochs', 'batchSize', 'gradAccumSteps'] as const)
    if (!Number.isInteger(o[k]) || o[k] < 1)
      throw new TrainingError('input', `${k} must be a positive integer, got ${o[k]}`);
  const every = o.evalEverySteps ?? 0;
  if (!(Number.isInteger(every) && every >= 0))
    throw new TrainingError('input', `evalEverySteps must be a whole number >= 0, got ${every}`);
  if (!(o.lr > 0 && Number.isFinite(o.lr))) throw new TrainingError('input', `learning rate must be > 0, got ${o.lr}`);
  if (!(o.warmupRatio >= 0 && o.warmupRatio < 1))
    throw new TrainingError('input', `warmup ratio must be in [0, 1), got ${o.warmupRatio}`);
  if (n === 0) throw new TrainingError('input', 'the training set is empty');
}

/**
 * Trains `model` in place; on return it holds the best weights (with a validation set) or the last.
 * `resumeFrom` continues a run from a state its onCheckpoint hook (or its result) handed out.
 */
export async function trainTask<M>(
  model: BertModel,
  data: TaskDataset<M>,
  options: Partial<TaskTrainOptions>,
  onEvent: (e: TaskTrainEvent<M>) => void,
  control: TrainControl = new TrainControl(),
  resumeFrom?: TaskTrainState<M>,
  hooks: TaskTrainHooks<M> = {},
): Promise<TaskTrainResult<M>> {
  const o: TaskTrainOptions = { ...TASK_TRAIN_DEFAULTS, ...options };
  const trainable = new Map([...model.variables].filter(([name]) => !isFrozen(name, o.freeze)));
  const optimizer = new AdamW(trainable, { beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weightDecay });
  let run: TaskRun<M> | null = null;
  try {
    validate(o, data.trainLengths.length);
    if (trainable.size === 0) throw new TrainingError('input', 'every parameter is frozen: nothing to train');
    if (resumeFrom) restoreRun(resumeFrom, o.seed, trainable, optimizer);
    run = {
      model,
      data,
      o,
      trainable,
      optimizer,
      control,
      onEvent,
      yieldFn: hooks.yieldFn ?? yieldToEventLoop,
      now: hooks.now ?? (() => performance.now()),
      resumeFrom: resumeFrom ?? null,
      lastShape: null,
      bestWeights: null,
      onCheckpoint: hooks.onCheckpoint ?? null,
      checkpointEveryMs: hooks.checkpointEveryMs ?? 0,
    };
    return await runTaskEpochs(run); // leaves the best weights in the model
  } catch (err) {
    const e = asTrainingError(err, run?.lastShape, o.gradAccumSteps);
    onEvent({ type: 'error', kind: e.kind, message: e.message });
    if (run?.bestWeights) restoreWeights(trainable, run.bestWeights);
    throw e;
  } finally {
    optimizer.dispose();
  }
}
