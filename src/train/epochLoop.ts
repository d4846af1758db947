// The one epoch/batch loop behind train() (runner.ts) and trainTask (tasks/taskRun.ts), after HF
// Trainer's inner loop: micro-batches -> accumulated, clipped gradients -> AdamW update; throttled
// step events (one loss read-back each); evaluation at epoch ends (and every N updates), best
// weights and patience; stop/pause checks and checkpoints at optimizer-step boundaries, so a saved
// state always resumes exactly. Everything a run needs to continue lives in one Progress object and
// the epoch order and dropout seeds derive from (seed, epoch, batch in epoch): a resumed run takes
// exactly the batches and dropout masks the uninterrupted one would have. The task brings what
// differs (a micro-batch's loss and gradients, validation and its score); the adapters shape events
// and results.
import * as tf from '@tensorflow/tfjs';
import { deriveSeed, epochBatches } from './batches';
import type { DoneReason, StepEvent, TrainOptions } from './loop';
import { disposeMap, GradAccumulator, type AdamW } from './optimizer';
import { learningRate, warmupStepsFor, type ScheduleOptions } from './schedule';
import { applyUpdate, StepReporter } from './stepReporter';
import {
  captureState,
  restoreWeights,
  snapshotWeights,
  startProgress,
  type BestRecord,
  type Progress,
  type TrainControl,
  type TrainState,
  type WeightSnapshot,
} from './trainState';

/** The options the loop itself reads; K is the metric name type (BestMetric for classification). */
export type EpochLoopOptions<K extends string = string> = Pick<
  TrainOptions,
  | 'epochs'
  | 'batchSize'
  | 'gradAccumSteps'
  | 'seed'
  | 'lr'
  | 'schedule'
  | 'warmupRatio'
  | 'warmupSteps'
  | 'maxGradNorm'
  | 'patience'
  | 'reportIntervalMs'
  | 'evalEverySteps'
  | 'groupByLength'
> & { bestMetric: K };

export interface LoopEvalEvent<V> {
  type: 'eval';
  step: number;
  /** Fractional epochs done, as the step event reports them. */
  epoch: number;
  valid: V;
}
export interface LoopEpochEndEvent<V> {
  type: 'epochEnd';
  epoch: number;
  trainLoss: number;
  valid: V | null;
}
export interface LoopDoneEvent<K extends string = string> {
  type: 'done';
  reason: DoneReason;
  steps: number;
  totalSteps: number;
  elapsedSec: number;
  best: { step: number; epoch: number; metric: K; value: number } | null;
}
export type LoopEvent<V, K extends string = string> =
  StepEvent | LoopEvalEvent<V> | LoopEpochEndEvent<V> | LoopDoneEvent<K>;

/** A micro-batch's mean loss and its gradients by HF name; the loop disposes both. */
export interface MicroBatchOut {
  loss: tf.Scalar;
  grads: Map<string, tf.Tensor>;
}

export interface EpochLoopSpec<V, K extends string = string> {
  o: EpochLoopOptions<K>;
  /** Tokens per training row: the seeded epoch order (and groupByLength) runs over these rows. */
  trainLengths: readonly number[];
  trainable: ReadonlyMap<string, tf.Variable>;
  optimizer: AdamW;
  control: TrainControl;
  yieldFn: () => Promise<void>;
  now: () => number;
  resumeFrom: TrainState<V> | null;
  /** Gets a resumable state at each epoch end but the last and, with checkpointEveryMs, between updates; awaited. */
  onCheckpoint: ((state: TrainState<V>) => void | Promise<void>) | null;
  checkpointEveryMs: number;
  /** Holds the best weights so far, so a caller whose run fails can still leave the model at its best. */
  trace: { bestWeights: WeightSnapshot | null };
  /** One micro-batch in training mode, with dropout seed `seed`. */
  microBatch: (rows: readonly number[], seed: number) => MicroBatchOut;
  /** Validation metrics in eval mode, or null when there is no validation set. */
  evaluate: (() => Promise<V>) | null;
  /** The value of bestMetric in V; NaN never counts as an improvement. */
  score: (valid: V) => number;
  higherIsBetter: boolean;
  onEvent: (e: LoopEvent<V, K>) => void;
  /** Right after an evaluation set a new best (classification emits its 'best' event here). */
  onBest?: (best: BestRecord<V>) => void;
}

export interface EpochLoopResult<V> {
  reason: DoneReason;
  /** Resumable state (also after 'completed'); its history is the run's. */
  state: TrainState<V>;
  best: BestRecord<V> | null;
}

/** Trains until done, stopped or out of patience; on return the trainable weights are the best (if any) or the last. */
export async function runEpochLoop<V, K extends string = string>(
  spec: EpochLoopSpec<V, K>,
): Promise<EpochLoopResult<V>> {
  const loop = new EpochLoop(spec);
  try {
    return await loop.run();
  } finally {
    loop.dispose();
  }
}

class EpochLoop<V, K extends string> {
  private readonly s: Progress<V>;
  private readonly microPerEpoch: number;
  private readonly totalSteps: number;
  private readonly schedule: ScheduleOptions;
  private readonly acc = new GradAccumulator();
  private readonly t0: number;
  private lastCheckpoint: number;
  private readonly reporter: StepReporter;

  constructor(private readonly spec: EpochLoopSpec<V, K>) {
    const o = spec.o;
    this.microPerEpoch = Math.ceil(spec.trainLengths.length / o.batchSize);
    this.totalSteps = o.epochs * Math.ceil(this.microPerEpoch / o.gradAccumSteps);
    const warmupSteps = warmupStepsFor(this.totalSteps, o.warmupRatio, o.warmupSteps);
    this.schedule = { kind: o.schedule, warmupSteps, totalSteps: this.totalSteps };
    this.s = startProgress(spec.resumeFrom);
    spec.trace.bestWeights = this.s.best?.weights ?? null;
    this.t0 = spec.now();
    this.lastCheckpoint = this.t0;
    this.reporter = new StepReporter(this.s, {
      totalSteps: this.totalSteps,
      t0: this.t0,
      now: spec.now,
      reportIntervalMs: o.reportIntervalMs,
      epochPosition: () => this.epochPosition(),
      emit: spec.onEvent,
    });
  }

  async run(): Promise<EpochLoopResult<V>> {
    const { s, spec } = this;
    const o = spec.o;
    for (; s.epoch < o.epochs; s.epoch++, s.batchInEpoch = 0) {
      const stopped = await this.trainEpoch(
        epochBatches(spec.trainLengths, o.batchSize, o.seed, s.epoch, o.groupByLength),
      );
      if (stopped) return this.finish(stopped);
      await this.reporter.flush();
      const valid = spec.evaluate ? await this.evalAndTrack(spec.evaluate) : null;
      const trainLoss = s.epochLossCount > 0 ? s.epochLossSum / s.epochLossCount : Number.NaN;
      s.history.push({ epoch: s.epoch + 1, trainLoss, valid });
      spec.onEvent({ type: 'epochEnd', epoch: s.epoch + 1, trainLoss, valid });
      s.epochLossSum = 0;
      s.epochLossCount = 0;
      if (valid !== null && this.patienceRanOut() && s.epoch + 1 < o.epochs) {
        // The state points at the next epoch's first batch, as an epoch-end checkpoint does.
        s.epoch += 1;
        s.batchInEpoch = 0;
        return this.finish('early-stopped');
      }
      if (s.epoch + 1 < o.epochs) await this.checkpoint(true);
    }
    return this.finish('completed');
  }

  dispose(): void {
    this.acc.dispose();
    this.reporter.dispose();
  }

  /** The rest of the current epoch, one optimizer update at a time; a reason when the run must end here. */
  private async trainEpoch(batches: number[][]): Promise<DoneReason | null> {
    const { s, spec } = this;
    const o = spec.o;
    while (s.batchInEpoch < batches.length) {
      await spec.yieldFn();
      await spec.control.waitWhilePaused();
      if (spec.control.stopRequested) return 'stopped';
      const groupEnd = Math.min(s.batchInEpoch + o.gradAccumSteps, batches.length);
      for (; s.batchInEpoch < groupEnd; s.batchInEpoch++) this.microStep(batches[s.batchInEpoch]!);
      await this.update();
      const epochDone = s.batchInEpoch >= batches.length;
      if (o.evalEverySteps > 0 && s.globalStep % o.evalEverySteps === 0 && !epochDone && spec.evaluate) {
        await this.reporter.flush();
        const valid = await this.evalAndTrack(spec.evaluate);
        spec.onEvent({ type: 'eval', step: s.globalStep, epoch: this.epochPosition(), valid });
        if (this.patienceRanOut()) return 'early-stopped';
      }
      if (spec.checkpointEveryMs > 0 && !epochDone && spec.now() - this.lastCheckpoint >= spec.checkpointEveryMs)
        await this.checkpoint(false);
    }
    return null;
  }

  private epochPosition(): number {
    return this.s.epoch + this.s.batchInEpoch / this.microPerEpoch;
  }

  private microStep(rows: number[]): void {
    const { s, spec } = this;
    const out = spec.microBatch(rows, deriveSeed(spec.o.seed, 0xd0, s.epoch, s.batchInEpoch));
    this.acc.add(out.grads);
    disposeMap(out.grads);
    this.reporter.addLoss(out.loss, rows.length);
  }

  private async update(): Promise<void> {
    const o = this.spec.o;
    const lr = learningRate(o.lr, this.s.globalStep + 1, this.schedule);
    await this.reporter.stepped(applyUpdate(this.acc, this.spec.optimizer, o.maxGradNorm, lr), lr);
  }

  /** Evaluates and keeps a copy of the weights when the chosen metric improved. */
  private async evalAndTrack(evaluate: () => Promise<V>): Promise<V> {
    const { s, spec } = this;
    const valid = await evaluate();
    const value = spec.score(valid);
    const better =
      Number.isFinite(value) &&
      (s.best === null || (spec.higherIsBetter ? value > s.best.value : value < s.best.value));
    if (better) {
      const weights = await snapshotWeights(spec.trainable);
      s.best = { value, step: s.globalStep, epoch: s.epoch + 1, valid, weights };
      spec.trace.bestWeights = weights;
      s.evalsWithoutImprovement = 0;
      spec.onBest?.(s.best);
    } else s.evalsWithoutImprovement += 1;
    return valid;
  }

  private patienceRanOut(): boolean {
    const patience = this.spec.o.patience;
    return patience > 0 && this.s.evalsWithoutImprovement >= patience;
  }

  private stateNow(): Promise<TrainState<V>> {
    const { spec } = this;
    return captureState(this.s, spec.o.seed, spec.trainable, spec.optimizer);
  }

  /** Hands out a resumable state; at an epoch end it points at the next epoch's first batch. */
  private async checkpoint(nextEpoch: boolean): Promise<void> {
    const { s, spec } = this;
    if (!spec.onCheckpoint) return;
    await this.reporter.flush();
    const state = await this.stateNow();
    if (nextEpoch) Object.assign(state, { epoch: s.epoch + 1, batchInEpoch: 0 });
    await spec.onCheckpoint(state);
    this.lastCheckpoint = spec.now();
  }

  private async finish(reason: DoneReason): Promise<EpochLoopResult<V>> {
    const { s, spec } = this;
    await this.reporter.flush();
    const state = await this.stateNow();
    if (s.best) restoreWeights(spec.trainable, s.best.weights);
    const b = s.best;
    const best = b && { step: b.step, epoch: b.epoch, metric: spec.o.bestMetric, value: b.value };
    const elapsedSec = (spec.now() - this.t0) / 1000;
    spec.onEvent({ type: 'done', reason, steps: s.globalStep, totalSteps: this.totalSteps, elapsedSec, best });
    return { reason, state, best: s.best };
  }
}
