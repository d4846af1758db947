// trainTask's (taskLoop.ts) side of the shared epoch loop (../epochLoop.ts): the task's dataset
// makes a micro-batch (trainBatch) for BertModel.lossAndGrads and evaluates and scores validation
// (evaluate + score); 'loss' is the one lower-is-better metric.
import type * as tf from '@tensorflow/tfjs';
import type { BertModel } from '../../model';
import { runEpochLoop, type MicroBatchOut } from '../epochLoop';
import type { AdamW } from '../optimizer';
import type { TrainControl, WeightSnapshot } from '../trainState';
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
  const { model, data, o, trainable } = run;

  const microBatch = (rows: readonly number[], seed: number): MicroBatchOut => {
    const b = data.trainBatch(rows);
    run.lastShape = b.shape;
    try {
      return model.lossAndGrads(
        () => model.loss(b.inputs, b.labels, { training: true, seed }),
        (name) => trainable.has(name),
      );
    } finally {
      b.dispose();
    }
  };
  const evaluate = data.evaluate;

  const res = await runEpochLoop<M>({
    o: { ...o, evalEverySteps: o.evalEverySteps ?? 0, groupByLength: false },
    trainLengths: data.trainLengths,
    trainable,
    optimizer: run.optimizer,
    control: run.control,
    yieldFn: run.yieldFn,
    now: run.now,
    resumeFrom: run.resumeFrom,
    onCheckpoint: run.onCheckpoint,
    checkpointEveryMs: run.checkpointEveryMs,
    trace: run,
    microBatch,
    evaluate: evaluate && (() => evaluate(model, run.yieldFn)),
    score: (valid) => data.score(valid, o.bestMetric),
    higherIsBetter: o.bestMetric !== 'loss',
    onEvent: run.onEvent,
  });
  const b = res.best;
  const best = b && { step: b.step, epoch: b.epoch, metric: o.bestMetric, value: b.value, valid: b.valid };
  return { reason: res.reason, best, history: res.state.history, state: res.state };
}
