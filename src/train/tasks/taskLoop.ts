// A training loop for the BertModel heads other than sequence classification (token-cls, qa):
// the same HF Trainer semantics as loop.ts/runner.ts (AdamW with decay grouping, warmup + linear /
// cosine schedule, clip_grad_norm_, gradient accumulation, seeded epoch order, evaluation at each
// epoch end, best weights by a metric, patience) and the same step / epochEnd / done / error
// event shapes, with the task's own metrics type M. The task supplies batches and evaluation.
import * as tf from '@tensorflow/tfjs';
import type { BertInputs, BertModel, HeadLabels } from '../../model';
import { deriveSeed, epochBatches } from '../batches';
import { divergedError, isOutOfMemory, oomError, TrainingError } from '../errors';
import { isFrozen } from '../freeze';
import type { DoneReason, StepEvent, TrainErrorEvent, TrainOptions } from '../loop';
import { AdamW, clipGradNorm, disposeMap, GradAccumulator } from '../optimizer';
import { learningRate, warmupStepsFor } from '../schedule';
import { restoreWeights, snapshotWeights, TrainControl, type WeightSnapshot } from '../trainState';

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
  reportIntervalMs: 500,
};

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
export type TaskTrainEvent<M> = StepEvent | TaskEpochEndEvent<M> | TaskDoneEvent | TrainErrorEvent;

export interface TaskTrainResult<M> {
  reason: DoneReason;
  best: (TaskBest & { valid: M }) | null;
  history: Array<{ epoch: number; trainLoss: number; valid: M | null }>;
}

const defaultYield = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function validate(o: TaskTrainOptions, n: number): void {
  for (const k of ['epochs', 'batchSize', 'gradAccumSteps'] as const)
    if (!Number.isInteger(o[k]) || o[k] < 1)
      throw new TrainingError('input', `${k} must be a positive integer, got ${o[k]}`);
  if (!(o.lr > 0 && Number.isFinite(o.lr))) throw new TrainingError('input', `learning rate must be > 0, got ${o.lr}`);
  if (!(o.warmupRatio >= 0 && o.warmupRatio < 1))
    throw new TrainingError('input', `warmup ratio must be in [0, 1), got ${o.warmupRatio}`);
  if (n === 0) throw new TrainingError('input', 'the training set is empty');
}

/** Trains `model` in place; on return it holds the best weights (with a validation set) or the last. */
export async function trainTask<M>(
  model: BertModel,
  data: TaskDataset<M>,
  options: Partial<TaskTrainOptions>,
  onEvent: (e: TaskTrainEvent<M>) => void,
  control: TrainControl = new TrainControl(),
  yieldFn: () => Promise<void> = defaultYield,
): Promise<TaskTrainResult<M>> {
  const o: TaskTrainOptions = { ...TASK_TRAIN_DEFAULTS, ...options };
  const trainable = new Map([...model.variables].filter(([name]) => !isFrozen(name, o.freeze)));
  const optimizer = new AdamW(trainable, { beta1: o.beta1, beta2: o.beta2, eps: o.eps, weightDecay: o.weightDecay });
  const acc = new GradAccumulator();
  const higher = o.bestMetric !== 'loss';
  let lastShape: [number, number] | null = null;
  let bestWeights: WeightSnapshot | null = null;
  let winLoss: tf.Scalar | null = null;
  let lastNorm: tf.Scalar | null = null;
  try {
    validate(o, data.trainLengths.length);
    if (trainable.size === 0) throw new TrainingError('input', 'every parameter is frozen: nothing to train');
    const microPerEpoch = Math.ceil(data.trainLengths.length / o.batchSize);
    const updatesPerEpoch = Math.ceil(microPerEpoch / o.gradAccumSteps);
    const totalSteps = o.epochs * updatesPerEpoch;
    const schedule = {
      kind: o.schedule,
      warmupSteps: warmupStepsFor(totalSteps, o.warmupRatio, o.warmupSteps),
      totalSteps,
    };
    const t0 = performance.now();
    const result: TaskTrainResult<M> = { reason: 'completed', best: null, history: [] };
    let step = 0;
    let win = { n: 0, samples: 0, t: t0 };
    let lastReport = -Infinity;
    let lastLr = 0;
    let epochSum = 0;
    let epochCount = 0;
    let stale = 0;

    /** One async read of the window's loss sum and last gradient norm (sync reads stall WebGPU). */
    const flush = async (epochPos: number): Promise<void> => {
      if (!winLoss || win.n === 0) return;
      const pair = tf.tidy(() => tf.stack([winLoss!, lastNorm ?? tf.scalar(0)]));
      const [sum, norm] = (await pair.data().finally(() => pair.dispose())) as Float32Array;
      if (!Number.isFinite(sum!) || !Number.isFinite(norm!))
        throw divergedError(step, lastLr, Number.isFinite(sum!) ? norm! : sum!);
      const t = performance.now();
      onEvent({
        type: 'step',
        step,
        totalSteps,
        epoch: epochPos,
        loss: sum! / win.n,
        lr: lastLr,
        gradNorm: norm!,
        samplesPerSec: win.samples / Math.max(1e-3, (t - win.t) / 1000),
        etaSec: step > 0 ? (((t - t0) / 1000) * (totalSteps - step)) / step : 0,
      });
      epochSum += sum!;
      epochCount += win.n;
      winLoss.dispose();
      winLoss = null;
      win = { n: 0, samples: 0, t };
      lastReport = t;
    };

    const microStep = (rows: number[], seed: number): void => {
      const b = data.trainBatch(rows);
      lastShape = b.shape;
      let out;
      try {
        out = model.lossAndGrads(
          () => model.loss(b.inputs, b.labels, { training: true, seed }),
          (name) => trainable.has(name),
        );
      } finally {
        b.dispose();
      }
      acc.add(out.grads);
      disposeMap(out.grads);
      const prev = winLoss;
      winLoss = prev ? (tf.tidy(() => tf.add(prev, out.loss)) as tf.Scalar) : out.loss;
      if (prev) {
        prev.dispose();
        out.loss.dispose();
      }
      win.n += 1;
      win.samples += rows.length;
    };

    const finish = async (reason: DoneReason, epochPos: number): Promise<TaskTrainResult<M>> => {
      await flush(epochPos);
      if (bestWeights) restoreWeights(trainable, bestWeights);
      result.reason = reason;
      const best = result.best && {
        step: result.best.step,
        epoch: result.best.epoch,
        metric: o.bestMetric,
        value: result.best.value,
      };
      onEvent({ type: 'done', reason, steps: step, totalSteps, elapsedSec: (performance.now() - t0) / 1000, best });
      return result;
    };

    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const batches = epochBatches(data.trainLengths, o.batchSize, o.seed, epoch);
      for (let i = 0; i < batches.length;) {
        await yieldFn();
        await control.waitWhilePaused();
        if (control.stopRequested) return await finish('stopped', epoch + i / batches.length);
        const end = Math.min(i + o.gradAccumSteps, batches.length);
        for (; i < end; i++) microStep(batches[i]!, deriveSeed(o.seed, 0xd0, epoch, i));
        const mean = acc.takeMean();
        const clipped = clipGradNorm(mean, o.maxGradNorm);
        disposeMap(mean);
        lastLr = learningRate(o.lr, step + 1, schedule);
        optimizer.step(clipped.grads, lastLr);
        disposeMap(clipped.grads);
        lastNorm?.dispose();
        lastNorm = clipped.norm;
        step += 1;
        if (performance.now() - lastReport >= o.reportIntervalMs || step === 1 || step === totalSteps)
          await flush(epoch + i / batches.length);
      }
      await flush(epoch + 1);
      const valid = data.evaluate ? await data.evaluate(model, yieldFn) : null;
      const trainLoss = epochCount > 0 ? epochSum / epochCount : Number.NaN;
      epochSum = 0;
      epochCount = 0;
      if (valid !== null) {
        const value = data.score(valid, o.bestMetric);
        const better =
          Number.isFinite(value) && (!result.best || (higher ? value > result.best.value : value < result.best.value));
        if (better) {
          result.best = { step, epoch: epoch + 1, metric: o.bestMetric, value, valid };
          bestWeights = await snapshotWeights(trainable);
          stale = 0;
        } else stale += 1;
      }
      result.history.push({ epoch: epoch + 1, trainLoss, valid });
      onEvent({ type: 'epochEnd', epoch: epoch + 1, trainLoss, valid });
      if (o.patience > 0 && stale >= o.patience && epoch + 1 < o.epochs)
        return await finish('early-stopped', epoch + 1);
    }
    return await finish('completed', o.epochs);
  } catch (err) {
    const e =
      err instanceof TrainingError
        ? err
        : isOutOfMemory(err) && lastShape
          ? oomError(err, lastShape[0], lastShape[1], o.gradAccumSteps)
          : new TrainingError('internal', err instanceof Error ? err.message : String(err));
    onEvent({ type: 'error', kind: e.kind, message: e.message });
    if (bestWeights) restoreWeights(trainable, bestWeights);
    throw e;
  } finally {
    acc.dispose();
    optimizer.dispose();
    (winLoss as tf.Scalar | null)?.dispose();
    (lastNorm as tf.Scalar | null)?.dispose();
  }
}
