// The training loop shared by the worker and the Node CLI: no worker or DOM APIs here. The caller
// gets typed events through one callback and steers the run with a TrainControl (stop / pause
// between batches). Semantics follow HF Trainer: AdamW with decay grouping, linear/cosine schedule
// with warmup, clip_grad_norm_ (default 1.0), gradient accumulation, evaluation each epoch (and
// optionally every N steps), best weights by a metric, early stopping with patience.
import * as tf from '@tensorflow/tfjs';
import { yieldToEventLoop } from '../lib/yieldTask';
import type { Example } from './batches';
import { resolveClassWeights, type ClassWeightSpec } from './classWeights';
import type { SequenceClassifier } from './classifier';
import { asTrainingError, TrainingError, type TrainErrorKind } from './errors';
import { computeClsFeatures } from './featureCache';
import { encoderFullyFrozen, isFrozen, type FreezeSpec } from './freeze';
import type { LossOptions } from './losses';
import type { BestMetric, Metrics } from './metrics';
import { AdamW, type AdamWOptions } from './optimizer';
import { runEpochs, type RunContext } from './runner';
import type { ScheduleKind } from './schedule';
import {
  restoreRun,
  restoreWeights,
  snapshotWeights,
  TrainControl,
  type BestRecord,
  type EpochSummary,
  type TrainState,
} from './trainState';

export { TrainControl, type TrainState, type EpochSummary, type BestRecord } from './trainState';
export { TrainingError, type TrainErrorKind } from './errors';
export type { Metrics, ClassificationMetrics, MultiLabelMetrics, BestMetric } from './metrics';
export type { FreezeSpec } from './freeze';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Peak learning rate. */
  lr: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  schedule: ScheduleKind;
  /** Warmup as a fraction of all updates (HF warmup_ratio); warmupSteps > 0 wins. */
  warmupRatio: number;
  warmupSteps: number;
  /** clip_grad_norm_ max norm (HF max_grad_norm 1.0); 0 turns clipping off. */
  maxGradNorm: number;
  /** Micro-batches per optimizer update. */
  gradAccumSteps: number;
  seed: number;
  freeze: FreezeSpec;
  classWeights: ClassWeightSpec;
  /** Also evaluate every N updates (0 = only at epoch ends). */
  evalEverySteps: number;
  bestMetric: BestMetric;
  /** Stop after this many evaluations without improvement (0 = never). */
  patience: number;
  /** HF group_by_length: batches of similar lengths, less padding. */
  groupByLength: boolean;
  evalBatchSize: number;
  /** Minimum time between `step` events (each reads the loss back once). */
  reportIntervalMs: number;
}

export const TRAIN_DEFAULTS: TrainOptions = {
  epochs: 3,
  batchSize: 32,
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
  classWeights: 'none',
  evalEverySteps: 0,
  bestMetric: 'macro_f1',
  patience: 0,
  groupByLength: false,
  evalBatchSize: 64,
  reportIntervalMs: 500,
};

export interface TrainData {
  train: Example[];
  valid: Example[];
  /** Tokenizer's [PAD] id. */
  padId: number;
}

export interface StepEvent {
  type: 'step';
  step: number;
  totalSteps: number;
  /** Epochs done, fractional as HF logs it: 0.5 = half-way through the first epoch, 1 = its end. */
  epoch: number;
  /** Mean micro-batch loss since the previous step event. */
  loss: number;
  lr: number;
  /** Global gradient norm before clipping, of the latest update. */
  gradNorm: number;
  samplesPerSec: number;
  etaSec: number;
}
export interface PhaseEvent {
  type: 'phase';
  phase: 'caching-features';
  done: number;
  total: number;
}
export interface EvalEvent {
  type: 'eval';
  step: number;
  epoch: number;
  valid: Metrics;
}
export interface EpochEndEvent {
  type: 'epochEnd';
  epoch: number;
  trainLoss: number;
  valid: Metrics | null;
}
export interface BestEvent {
  type: 'best';
  step: number;
  epoch: number;
  metric: BestMetric;
  value: number;
  valid: Metrics;
}
export type DoneReason = 'completed' | 'stopped' | 'early-stopped';
export interface DoneEvent {
  type: 'done';
  reason: DoneReason;
  steps: number;
  totalSteps: number;
  elapsedSec: number;
  best: { step: number; epoch: number; metric: BestMetric; value: number } | null;
}
export interface TrainErrorEvent {
  type: 'error';
  kind: TrainErrorKind;
  message: string;
}
export type TrainEvent = StepEvent | PhaseEvent | EvalEvent | EpochEndEvent | BestEvent | DoneEvent | TrainErrorEvent;

export interface TrainResult {
  reason: DoneReason;
  /** Resumable state (also after 'completed'). */
  state: TrainState;
  best: BestRecord | null;
  history: EpochSummary[];
}

export interface TrainHooks {
  /** Lets the host handle messages between batches; default setTimeout(0). */
  yieldFn?: () => Promise<void>;
  /** Clock in ms; default performance.now. */
  now?: () => number;
  /**
   * Receives a resumable state at each epoch end but the last and, with checkpointEveryMs, between
   * updates; awaited, so a checkpoint is written before training goes on.
   */
  onCheckpoint?: (state: TrainState) => void | Promise<void>;
  /** Minimum time between mid-epoch checkpoints (0 = only at epoch ends). */
  checkpointEveryMs?: number;
}

function validate(o: TrainOptions, data: TrainData): void {
  const positiveInt = (k: keyof TrainOptions): void => {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
      throw new TrainingError('input', `${k} must be a positive integer, got ${String(v)}`);
  };
  positiveInt('epochs');
  positiveInt('batchSize');
  positiveInt('gradAccumSteps');
  positiveInt('evalBatchSize');
  if (!(o.lr > 0 && Number.isFinite(o.lr)))
    throw new TrainingError('input', `learning rate must be a positive number, got ${o.lr}`);
  if (!(o.warmupRatio >= 0 && o.warmupRatio < 1))
    throw new TrainingError('input', `warmup ratio must be in [0, 1), got ${o.warmupRatio}`);
  if (!(o.weightDecay >= 0)) throw new TrainingError('input', `weight decay must be >= 0, got ${o.weightDecay}`);
  if (data.train.length === 0) throw new TrainingError('input', 'the training set is empty');
}

/**
 * Trains `model` in place. On return (completed, stopped or early-stopped) the model holds the best
 * weights by `bestMetric` when there was a validation set, else the last ones; `result.state`
 * resumes the run. Failures emit an `error` event and reject with a TrainingError.
 */
export async function train(
  model: SequenceClassifier,
  data: TrainData,
  options: Partial<TrainOptions>,
  onEvent: (e: TrainEvent) => void,
  control: TrainControl = new TrainControl(),
  resumeFrom?: TrainState,
  hooks: TrainHooks = {},
): Promise<TrainResult> {
  const o: TrainOptions = { ...TRAIN_DEFAULTS, ...options };
  const trainable = new Map([...model.params].filter(([name]) => !isFrozen(name, o.freeze)));
  const optimizer = new AdamW(trainable, {
    beta1: o.beta1,
    beta2: o.beta2,
    eps: o.eps,
    weightDecay: o.weightDecay,
  } satisfies AdamWOptions);
  let ctx: RunContext | null = null;
  try {
    validate(o, data);
    if (trainable.size === 0) throw new TrainingError('input', 'every parameter is frozen: nothing to train');
    const labels = model.multiLabel ? [] : data.train.map((e) => e.label as number);
    const lossOptions: LossOptions = {
      multiLabel: model.multiLabel,
      classWeights: model.multiLabel ? null : resolveClassWeights(o.classWeights, labels, model.numLabels),
    };
    const yieldFn = hooks.yieldFn ?? yieldToEventLoop;
    let features: { train: Float32Array; valid: Float32Array } | null = null;
    if (encoderFullyFrozen(o.freeze, model.bert.config.num_hidden_layers)) {
      const total = data.train.length + data.valid.length;
      const cache = (rows: Example[], offset: number): Promise<Float32Array | null> =>
        computeClsFeatures(model, rows, {
          batchSize: o.evalBatchSize,
          padId: data.padId,
          yieldFn,
          shouldStop: () => control.stopRequested,
          onProgress: (done) => onEvent({ type: 'phase', phase: 'caching-features', done: offset + done, total }),
        });
      const train = await cache(data.train, 0);
      const valid = train && (await cache(data.valid, data.train.length));
      if (train && valid) features = { train, valid };
    }
    if (resumeFrom) restoreRun(resumeFrom, o.seed, trainable, optimizer);
    if (control.stopRequested && !features && encoderFullyFrozen(o.freeze, model.bert.config.num_hidden_layers)) {
      // Stopped while caching features: nothing trained yet.
      onEvent({ type: 'done', reason: 'stopped', steps: 0, totalSteps: 0, elapsedSec: 0, best: null });
      return {
        reason: 'stopped',
        state: resumeFrom ?? (await initialState(o, trainable)),
        best: resumeFrom?.best ?? null,
        history: resumeFrom?.history ?? [],
      };
    }
    ctx = {
      model,
      data,
      o,
      trainable,
      optimizer,
      lossOptions,
      features,
      control,
      onEvent,
      yieldFn,
      now: hooks.now ?? (() => performance.now()),
      resumeFrom: resumeFrom ?? null,
      lastShape: null,
      bestWeights: null,
      onCheckpoint: hooks.onCheckpoint ?? null,
      checkpointEveryMs: hooks.checkpointEveryMs ?? 0,
    };
    return await runEpochs(ctx); // leaves the best weights in the model
  } catch (err) {
    const e = asTrainingError(err, ctx?.lastShape, o.gradAccumSteps);
    onEvent({ type: 'error', kind: e.kind, message: e.message });
    if (ctx?.bestWeights) restoreWeights(trainable, ctx.bestWeights);
    throw e;
  } finally {
    optimizer.dispose();
  }
}

async function initialState(o: TrainOptions, trainable: ReadonlyMap<string, tf.Variable>): Promise<TrainState> {
  return {
    version: 1,
    seed: o.seed,
    globalStep: 0,
    epoch: 0,
    batchInEpoch: 0,
    epochLossSum: 0,
    epochLossCount: 0,
    evalsWithoutImprovement: 0,
    weights: await snapshotWeights(trainable),
    optimizer: { params: {} },
    best: null,
    history: [],
  };
}
