// train()'s (loop.ts) side of the shared epoch loop (epochLoop.ts): a micro-batch is
// batchInput + lossAndGrads on the classifier (or on cached [CLS] features with a frozen encoder),
// validation is evaluate() scored by metricValue, and each new best emits a 'best' event.
import type * as tf from '@tensorflow/tfjs';
import type { SequenceClassifier } from './classifier';
import { runEpochLoop, type MicroBatchOut } from './epochLoop';
import { batchInput, evaluate } from './evaluate';
import type { TrainData, TrainEvent, TrainOptions, TrainResult } from './loop';
import type { LossOptions } from './losses';
import { higherIsBetter, metricValue, type Metrics } from './metrics';
import type { AdamW } from './optimizer';
import { lossAndGrads } from './step';
import type { TrainControl, TrainState, WeightSnapshot } from './trainState';

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
  const { model, data, o, trainable, onEvent } = ctx;
  const lengths = data.train.map((e) => e.inputIds.length);

  const microBatch = (rows: readonly number[], seed: number): MicroBatchOut => {
    const b = batchInput(model, data.train, rows, data.padId, ctx.features?.train);
    ctx.lastShape = [rows.length, Math.max(...rows.map((r) => lengths[r]!))];
    try {
      return lossAndGrads(model, trainable, b.input, b.labels, ctx.lossOptions, true, seed);
    } finally {
      b.dispose();
    }
  };
  const validate = (): Promise<Metrics> =>
    evaluate(model, data.valid, {
      batchSize: o.evalBatchSize,
      padId: data.padId,
      features: ctx.features?.valid ?? null,
      yieldFn: ctx.yieldFn,
    });

  const { reason, state, best } = await runEpochLoop({
    o,
    trainLengths: lengths,
    trainable,
    optimizer: ctx.optimizer,
    control: ctx.control,
    yieldFn: ctx.yieldFn,
    now: ctx.now,
    resumeFrom: ctx.resumeFrom,
    onCheckpoint: ctx.onCheckpoint,
    checkpointEveryMs: ctx.checkpointEveryMs,
    trace: ctx,
    microBatch,
    evaluate: data.valid.length > 0 ? validate : null,
    score: (valid) => metricValue(valid, o.bestMetric),
    higherIsBetter: higherIsBetter(o.bestMetric),
    onEvent,
    onBest: (b) =>
      onEvent({ type: 'best', step: b.step, epoch: b.epoch, metric: o.bestMetric, value: b.value, valid: b.valid }),
  });
  return { reason, state, best, history: state.history };
}
