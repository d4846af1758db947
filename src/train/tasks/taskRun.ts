// The epoch/batch loop behind trainTask (taskLoop.ts), as runner.ts is for the seq-cls loop:
// micro-batches -> accumulated, clipped gradients -> AdamW update; throttled step events (one loss
// read-back each); evaluation, best weights and patience at epoch ends; stop/pause checks and
// checkpoints at optimizer-step boundaries. Everything the run needs to continue (step, epoch,
// micro-batch in the epoch, loss sums, patience count, best, history) lives in one progress object,
// and the epoch order and dropout seeds derive from (seed, epoch, batch), so a resumed run takes
// exactly the batches and dropout masks the uninterrupted one would have.
import * as tf from '@tensorflow/tfjs';
import type { BertModel } from '../../model';
import { deriveSeed, epochBatches } from '../batches';
import type { DoneReason } from '../loop';
import { disposeMap, GradAccumulator, type AdamW } from '../optimizer';
import { learningRate, warmupStepsFor } from '../schedule';
import { applyUpdate, StepReporter } from '../stepReporter';
import {
  captureState,
  restoreWeights,
  snapshotWeights,
  startProgress,
  type TrainControl,
  type WeightSnapshot,
} from '../trainState';
import type { TaskDataset, TaskTrainEvent, TaskTrainOptions, TaskTrainResult, TaskTrainState } from './taskLoop';

export interface TaskRun<M> {
  model: BertModel;
  data: TaskDataset<M>;
  o: TaskTrainOptions;
  trainable: ReadonlyMap<string, tf.Variable>;
  optimizer: AdamW;
  control: TrainControl;
  onEvent: (e: TaskTrainEvent<M>) => void;
  yieldFn: () => Promise<void>;
  now: () => number;
  resumeFrom: TaskTrainState<M> | null;
  /** [B, T] of the batch in flight, for the out-of-memory message. */
  lastShape: [number, number] | null;
  /** Best weights so far, so a failure can still leave the model at its best. */
  bestWeights: WeightSnapshot | null;
  onCheckpoint: ((state: TaskTrainState<M>) => void | Promise<void>) | null;
  checkpointEveryMs: number;
}

export async function runTaskEpochs<M>(run: TaskRun<M>): Promise<TaskTrainResult<M>> {
  const { model, data, o, trainable, optimizer, control, onEvent, now } = run;
  const microPerEpoch = Math.ceil(data.trainLengths.length / o.batchSize);
  const totalSteps = o.epochs * Math.ceil(microPerEpoch / o.gradAccumSteps);
  const schedule = {
    kind: o.schedule,
    warmupSteps: warmupStepsFor(totalSteps, o.warmupRatio, o.warmupSteps),
    totalSteps,
  };
  const higher = o.bestMetric !== 'loss';
  const s = startProgress(run.resumeFrom);
  run.bestWeights = s.best?.weights ?? null;
  const acc = new GradAccumulator();
  const t0 = now();
  let lastCheckpoint = t0;
  const reporter = new StepReporter(s, {
    totalSteps,
    t0,
    now,
    reportIntervalMs: o.reportIntervalMs,
    epochPosition: () => s.epoch + s.batchInEpoch / microPerEpoch,
    emit: onEvent,
  });
  const flush = (): Promise<void> => reporter.flush();

  const microStep = (rows: number[]): void => {
    const b = data.trainBatch(rows);
    run.lastShape = b.shape;
    const seed = deriveSeed(o.seed, 0xd0, s.epoch, s.batchInEpoch);
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
    reporter.addLoss(out.loss, rows.length);
  };

  const update = async (): Promise<void> => {
    const lr = learningRate(o.lr, s.globalStep + 1, schedule);
    await reporter.stepped(applyUpdate(acc, optimizer, o.maxGradNorm, lr), lr);
  };

  /** Evaluates at an epoch end and keeps a copy of the weights when the chosen metric improved. */
  const evalAndTrack = async (evaluate: NonNullable<TaskDataset<M>['evaluate']>): Promise<M> => {
    const valid = await evaluate(model, run.yieldFn);
    const value = data.score(valid, o.bestMetric);
    const better =
      Number.isFinite(value) && (s.best === null || (higher ? value > s.best.value : value < s.best.value));
    if (better) {
      s.best = { value, step: s.globalStep, epoch: s.epoch + 1, valid, weights: await snapshotWeights(trainable) };
      run.bestWeights = s.best.weights;
      s.evalsWithoutImprovement = 0;
    } else s.evalsWithoutImprovement += 1;
    return valid;
  };

  const stateNow = (): Promise<TaskTrainState<M>> => captureState(s, o.seed, trainable, optimizer);
  /** Hands out a resumable state; at an epoch end it points at the next epoch's first batch. */
  const checkpoint = async (nextEpoch: boolean): Promise<void> => {
    if (!run.onCheckpoint) return;
    await flush();
    const state = await stateNow();
    if (nextEpoch) Object.assign(state, { epoch: s.epoch + 1, batchInEpoch: 0 });
    await run.onCheckpoint(state);
    lastCheckpoint = now();
  };

  const finish = async (reason: DoneReason): Promise<TaskTrainResult<M>> => {
    await flush();
    const state = await stateNow();
    if (s.best) restoreWeights(trainable, s.best.weights);
    const b = s.best;
    const best = b && { step: b.step, epoch: b.epoch, metric: o.bestMetric, value: b.value };
    onEvent({ type: 'done', reason, steps: s.globalStep, totalSteps, elapsedSec: (now() - t0) / 1000, best });
    return { reason, best: best && b ? { ...best, valid: b.valid } : null, history: state.history, state };
  };

  try {
    for (; s.epoch < o.epochs; s.epoch++, s.batchInEpoch = 0) {
      const batches = epochBatches(data.trainLengths, o.batchSize, o.seed, s.epoch);
      while (s.batchInEpoch < batches.length) {
        await run.yieldFn();
        await control.waitWhilePaused();
        if (control.stopRequested) return await finish('stopped');
        const groupEnd = Math.min(s.batchInEpoch + o.gradAccumSteps, batches.length);
        for (; s.batchInEpoch < groupEnd; s.batchInEpoch++) microStep(batches[s.batchInEpoch]!);
        await update();
        const epochDone = s.batchInEpoch >= batches.length;
        if (run.checkpointEveryMs > 0 && !epochDone && now() - lastCheckpoint >= run.checkpointEveryMs)
          await checkpoint(false);
      }
      await flush();
      const valid = data.evaluate ? await evalAndTrack(data.evaluate) : null;
      const trainLoss = s.epochLossCount > 0 ? s.epochLossSum / s.epochLossCount : Number.NaN;
      s.history.push({ epoch: s.epoch + 1, trainLoss, valid });
      onEvent({ type: 'epochEnd', epoch: s.epoch + 1, trainLoss, valid });
      s.epochLossSum = 0;
      s.epochLossCount = 0;
      if (valid !== null && o.patience > 0 && s.evalsWithoutImprovement >= o.patience && s.epoch + 1 < o.epochs) {
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
