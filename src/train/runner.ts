// The epoch/batch loop behind train() (loop.ts): micro-batches -> accumulated, clipped gradients
// -> AdamW update; throttled step events (one loss read-back each); evaluation, best weights and
// early stopping; stop/pause checks at optimizer-step boundaries so a saved state always resumes
// exactly.
import * as tf from '@tensorflow/tfjs';
import { deriveSeed, epochBatches } from './batches';
import type { SequenceClassifier } from './classifier';
import { batchInput, evaluate } from './evaluate';
import type { TrainData, TrainEvent, TrainOptions, TrainResult, DoneReason } from './loop';
import type { LossOptions } from './losses';
import { higherIsBetter, metricValue, type Metrics } from './metrics';
import { disposeMap, GradAccumulator, type AdamW } from './optimizer';
import { learningRate, warmupStepsFor } from './schedule';
import { lossAndGrads } from './step';
import { applyUpdate, StepReporter } from './stepReporter';
import {
  captureState,
  restoreWeights,
  snapshotWeights,
  startProgress,
  type TrainControl,
  type TrainState,
  type WeightSnapshot,
} from './trainState';

export interface RunContext {
  model: SequenceClassifier;
  data: TrainData;
  o: TrainOptions;
  trainable: ReadonlyMap<string, tf.Variable>;
  optimizer: AdamW;
  lossOptions: LossOptions;
  features: { train: Float32Array; valid: Float32Array } | null;
  control: TrainControl;
  onEvent: (e: TrainEvent) => void;
  yieldFn: () => Promise<void>;
  now: () => number;
  resumeFrom: TrainState | null;
  /** [B, T] of the batch in flight, for the out-of-memory message. */
  lastShape: [number, number] | null;
  /** Best weights so far, so a failure can still leave the model at its best. */
  bestWeights: WeightSnapshot | null;
  onCheckpoint: ((state: TrainState) => void | Promise<void>) | null;
  checkpointEveryMs: number;
}

export async function runEpochs(ctx: RunContext): Promise<TrainResult> {
  const { model, data, o, trainable, optimizer, control, onEvent, now } = ctx;
  const microPerEpoch = Math.ceil(data.train.length / o.batchSize);
  const totalSteps = o.epochs * Math.ceil(microPerEpoch / o.gradAccumSteps);
  const schedule = {
    kind: o.schedule,
    warmupSteps: warmupStepsFor(totalSteps, o.warmupRatio, o.warmupSteps),
    totalSteps,
  };
  const s = startProgress(ctx.resumeFrom);
  ctx.bestWeights = s.best?.weights ?? null;
  const lengths = data.train.map((e) => e.inputIds.length);
  const acc = new GradAccumulator();
  const t0 = now();
  const epochPosition = (): number => s.epoch + s.batchInEpoch / microPerEpoch;
  const reporter = new StepReporter(s, {
    totalSteps,
    t0,
    now,
    reportIntervalMs: o.reportIntervalMs,
    epochPosition,
    emit: onEvent,
  });
  const flush = (): Promise<void> => reporter.flush();

  const microStep = (rows: number[]): void => {
    const b = batchInput(model, data.train, rows, data.padId, ctx.features?.train);
    ctx.lastShape = [rows.length, Math.max(...rows.map((r) => lengths[r]!))];
    const seed = deriveSeed(o.seed, 0xd0, s.epoch, s.batchInEpoch);
    let out;
    try {
      out = lossAndGrads(model, trainable, b.input, b.labels, ctx.lossOptions, true, seed);
    } finally {
      b.dispose();
    }
    acc.add(out.grads);
    disposeMap(out.grads);
    reporter.addLoss(out.loss, rows.length);
  };

  const update = async (): Promise<void> => {
    const lr = learningRate(o.lr, s.globalStep + 1, schedule);
    await reporter.stepped(applyUpdate(acc, optimizer, o.maxGradNorm, lr), lr);
  };

  /** Evaluates and keeps a copy of the weights when the chosen metric improved. */
  const evalAndTrack = async (): Promise<Metrics> => {
    const valid = await evaluate(model, data.valid, {
      batchSize: o.evalBatchSize,
      padId: data.padId,
      features: ctx.features?.valid ?? null,
      yieldFn: ctx.yieldFn,
    });
    const value = metricValue(valid, o.bestMetric);
    const better =
      Number.isFinite(value) &&
      (s.best === null || (higherIsBetter(o.bestMetric) ? value > s.best.value : value < s.best.value));
    if (better) {
      s.best = { value, step: s.globalStep, epoch: s.epoch + 1, valid, weights: await snapshotWeights(trainable) };
      ctx.bestWeights = s.best.weights;
      s.evalsWithoutImprovement = 0;
      onEvent({ type: 'best', step: s.globalStep, epoch: s.epoch + 1, metric: o.bestMetric, value, valid });
    } else s.evalsWithoutImprovement += 1;
    return valid;
  };
  const patienceRanOut = (): boolean => o.patience > 0 && s.evalsWithoutImprovement >= o.patience;

  const stateNow = (): Promise<TrainState> => captureState(s, o.seed, trainable, optimizer);
  let lastCheckpoint = t0;
  /** Hands out a resumable state; at an epoch end it points at the next epoch's first batch. */
  const checkpoint = async (nextEpoch: boolean): Promise<void> => {
    if (!ctx.onCheckpoint) return;
    await flush();
    const state = await stateNow();
    if (nextEpoch) Object.assign(state, { epoch: s.epoch + 1, batchInEpoch: 0 });
    await ctx.onCheckpoint(state);
    lastCheckpoint = now();
  };

  const finish = async (reason: DoneReason): Promise<TrainResult> => {
    await flush();
    const state = await stateNow();
    if (s.best) restoreWeights(trainable, s.best.weights);
    const best = s.best && { step: s.best.step, epoch: s.best.epoch, metric: o.bestMetric, value: s.best.value };
    onEvent({ type: 'done', reason, steps: s.globalStep, totalSteps, elapsedSec: (now() - t0) / 1000, best });
    return { reason, state, best: s.best, history: state.history };
  };

  try {
    for (; s.epoch < o.epochs; s.epoch++, s.batchInEpoch = 0) {
      const batches = epochBatches(lengths, o.batchSize, o.seed, s.epoch, o.groupByLength);
      while (s.batchInEpoch < batches.length) {
        await ctx.yieldFn();
        await control.waitWhilePaused();
        if (control.stopRequested) return await finish('stopped');
        const groupEnd = Math.min(s.batchInEpoch + o.gradAccumSteps, batches.length);
        for (; s.batchInEpoch < groupEnd; s.batchInEpoch++) microStep(batches[s.batchInEpoch]!);
        await update();
        const epochDone = s.batchInEpoch >= batches.length;
        if (o.evalEverySteps > 0 && s.globalStep % o.evalEverySteps === 0 && !epochDone && data.valid.length > 0) {
          await flush();
          onEvent({ type: 'eval', step: s.globalStep, epoch: epochPosition(), valid: await evalAndTrack() });
          if (patienceRanOut()) return await finish('early-stopped');
        }
        if (ctx.checkpointEveryMs > 0 && !epochDone && now() - lastCheckpoint >= ctx.checkpointEveryMs)
          await checkpoint(false);
      }
      await flush();
      const valid = data.valid.length > 0 ? await evalAndTrack() : null;
      const trainLoss = s.epochLossCount > 0 ? s.epochLossSum / s.epochLossCount : Number.NaN;
      s.history.push({ epoch: s.epoch + 1, trainLoss, valid });
      onEvent({ type: 'epochEnd', epoch: s.epoch + 1, trainLoss, valid });
      s.epochLossSum = 0;
      s.epochLossCount = 0;
      if (valid && patienceRanOut() && s.epoch + 1 < o.epochs) {
        s.epoch += 1;
        s.batchInEpoch = 0;
        return await finish('early-stopped');
      }
      if (s.epoch + 1 < o.epochs) await checkpoint(true);
    }
    return await finish('completed');
  } finally {
    acc.dispose();
    reporter.dispose();
  }
}
