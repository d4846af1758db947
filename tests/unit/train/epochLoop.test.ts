// The shared epoch loop (src/train/epochLoop.ts) on a fake task, no BERT: a 3-weight linear model
// with a seeded "dropout" mask per micro-batch. Checks the event order, that a state handed out by a
// checkpoint or a stop resumes to bitwise the same weights, losses and batches, and early stopping.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveSeed, epochBatches } from '../../../src/train/batches';
import { runEpochLoop, type EpochLoopOptions, type EpochLoopSpec, type LoopEvent } from '../../../src/train/epochLoop';
import { AdamW } from '../../../src/train/optimizer';
import { restoreWeights, snapshotWeights, TrainControl, type TrainState } from '../../../src/train/trainState';
import { mulberry32 } from '../../../src/lib/rng';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const N = 10; // rows; batch 2 -> 5 micro-batches an epoch
const X = Array.from({ length: N }, (_, i) => [1, i / N, (i % 3) - 1]);
const Y = X.map(([a, b, c]) => 0.5 * a! - 2 * b! + c!);
const OPTS: EpochLoopOptions = {
  epochs: 3,
  batchSize: 2,
  gradAccumSteps: 2, // 3 updates an epoch (2 + 2 + 1 micro-batches)
  seed: 7,
  lr: 0.1,
  schedule: 'linear',
  warmupRatio: 0.2,
  warmupSteps: 0,
  maxGradNorm: 1,
  patience: 0,
  reportIntervalMs: 0,
  evalEverySteps: 0,
  groupByLength: false,
  bestMetric: 'loss',
};

interface Valid {
  loss: number;
}

/** A fresh fake run: its spec (to override), the log of what the loop did, and its weights. */
function fakeRun(o: Partial<EpochLoopOptions> = {}, resumeFrom: TrainState<Valid> | null = null) {
  const w = tf.tidy(() => tf.variable(tf.zeros([3])));
  const trainable = new Map([['classifier.weight', w]]);
  const optimizer = new AdamW(trainable);
  if (resumeFrom) {
    restoreWeights(trainable, resumeFrom.weights);
    optimizer.setState(resumeFrom.optimizer);
  }
  const log: string[] = [];
  const events: LoopEvent<Valid>[] = [];
  const batches: string[] = [];
  let t = 0;
  const spec: EpochLoopSpec<Valid> = {
    o: { ...OPTS, ...o },
    trainLengths: X.map((_, i) => 3 + (i % 4)),
    trainable,
    optimizer,
    control: new TrainControl(),
    yieldFn: () => Promise.resolve(),
    now: () => (t += 100), // moves 100 ms each read
    resumeFrom,
    onCheckpoint: null,
    checkpointEveryMs: 0,
    trace: { bestWeights: null },
    microBatch: (rows, seed) => {
      batches.push(`${rows.join(',')}@${seed}`);
      const rand = mulberry32(seed);
      const mask = rows.map(() => (rand() < 0.25 ? 0 : 4 / 3)); // dropout 0.25, scaled as in training
      const x = tf.tensor2d(rows.map((r, i) => X[r]!.map((v) => v * mask[i]!)));
      const y = tf.tensor1d(rows.map((r) => Y[r]!));
      const { value, grads } = tf.variableGrads(
        () => tf.losses.meanSquaredError(y, tf.matMul(x, w.expandDims(1)).squeeze([1])),
        [w],
      );
      x.dispose();
      y.dispose();
      return { loss: value, grads: new Map([['classifier.weight', grads[w.name]!]]) };
    },
    evaluate: async () => {
      const p = Array.from(await w.data());
      return {
        loss: X.reduce((sum, x, r) => sum + (x[0]! * p[0]! + x[1]! * p[1]! + x[2]! * p[2]! - Y[r]!) ** 2, 0) / N,
      };
    },
    score: (v) => v.loss,
    higherIsBetter: false,
    onEvent: (e) => {
      events.push(e);
      log.push(
        e.type === 'step' || e.type === 'eval'
          ? `${e.type}${e.step}`
          : e.type === 'epochEnd'
            ? `end${e.epoch}`
            : e.type,
      );
    },
    onBest: (b) => log.push(`best${b.step}`),
  };
  return { spec, log, events, batches, trainable, w, dispose: () => (optimizer.dispose(), w.dispose()) };
}

/** What must match bitwise between runs: step number, loss, lr and gradient norm of each step event. */
const stepsOf = (events: LoopEvent<Valid>[]) =>
  events.flatMap((e) => (e.type === 'step' ? [[e.step, e.loss, e.lr, e.gradNorm]] : []));

describe('runEpochLoop', () => {
  it('emits steps, evaluations, bests, epoch ends, checkpoints and done in order, with the seeded batches', async () => {
    const tensors = tf.memory().numTensors;
    const r = fakeRun({ evalEverySteps: 2 });
    r.spec.onCheckpoint = (s) => void r.log.push(`ckpt${s.globalStep}:${s.epoch}/${s.batchInEpoch}`);
    const res = await runEpochLoop(r.spec);
    // Mid-epoch evaluations after updates 2, 4 and 8 (6 ends an epoch, which evaluates anyway);
    // a new best comes before its evaluation's event; epoch-end checkpoints point at the next
    // epoch's first batch, and there is none after the last epoch.
    const head = ['step1', 'step2', 'best2', 'eval2', 'step3', 'best3', 'end1', 'ckpt3:1/0', 'step4'];
    expect(r.log.slice(0, head.length)).toEqual(head);
    expect(r.log.filter((l) => !l.startsWith('best'))).toEqual([
      ...['step1', 'step2', 'eval2', 'step3', 'end1', 'ckpt3:1/0'],
      ...['step4', 'eval4', 'step5', 'step6', 'end2', 'ckpt6:2/0'],
      ...['step7', 'step8', 'eval8', 'step9', 'end3', 'done'],
    ]);
    const expected = [0, 1, 2].flatMap((epoch) =>
      epochBatches(r.spec.trainLengths, 2, 7, epoch).map(
        (rows, b) => `${rows.join(',')}@${deriveSeed(7, 0xd0, epoch, b)}`,
      ),
    );
    expect(r.batches).toEqual(expected);
    expect(res.reason).toBe('completed');
    expect(res.state.globalStep).toBe(9);
    expect(res.state.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    // The loss falls, and the model is left with the best evaluation's weights.
    expect(res.state.history[2]!.valid!.loss).toBeLessThan(res.state.history[0]!.valid!.loss);
    expect(Array.from(await r.w.data())).toEqual(Array.from(res.best!.weights['classifier.weight']!));
    expect(r.spec.trace.bestWeights).toBe(res.best!.weights);
    const done = r.events.at(-1)!;
    expect(done).toMatchObject({ type: 'done', reason: 'completed', steps: 9, totalSteps: 9 });
    expect(done.type === 'done' && done.best).toEqual({
      step: res.best!.step,
      epoch: res.best!.epoch,
      metric: 'loss',
      value: res.best!.value,
    });
    r.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('every checkpointed or stopped state resumes to bitwise the same weights, losses and batches', async () => {
    const a = fakeRun({ evalEverySteps: 4 });
    const states: TrainState<Valid>[] = [];
    a.spec.checkpointEveryMs = 500;
    a.spec.onCheckpoint = (s) => void states.push(structuredClone(s));
    const resA = await runEpochLoop(a.spec);
    const final = await snapshotWeights(a.trainable);
    expect(states.filter((s) => s.batchInEpoch > 0).length).toBeGreaterThan(0);
    expect(states.filter((s) => s.batchInEpoch === 0).map((s) => s.epoch)).toEqual([1, 2]);

    const b = fakeRun({ evalEverySteps: 4 });
    b.spec.onEvent = (e) => void (e.type === 'step' && e.step === 5 && b.spec.control.stop());
    const stopped = await runEpochLoop(b.spec);
    expect([stopped.reason, stopped.state.globalStep, stopped.state.epoch, stopped.state.batchInEpoch]).toEqual([
      'stopped',
      5,
      1,
      4,
    ]);
    b.dispose();

    for (const from of [...states, stopped.state]) {
      const c = fakeRun({ evalEverySteps: 4 }, structuredClone(from));
      const resC = await runEpochLoop(c.spec);
      expect(resC.reason).toBe('completed');
      expect(await snapshotWeights(c.trainable)).toEqual(final);
      expect(resC.state.history).toEqual(resA.state.history);
      expect(resC.best).toEqual(resA.best);
      expect(stepsOf(c.events)).toEqual(stepsOf(a.events).filter(([step]) => step! > from.globalStep));
      expect(c.batches).toEqual(a.batches.slice(a.batches.length - c.batches.length));
      expect(c.batches.length).toBe(15 - 5 * from.epoch - from.batchInEpoch);
      c.dispose();
    }
    a.dispose();
  });

  it('early stopping: after `patience` evaluations without improvement, at the best weights', async () => {
    // Lower is better; the best (2) comes at the 3rd evaluation, after one that did not improve.
    const scripted = [3, 3.5, 2, 2.5, 2, 1];
    let n = 0;
    const r = fakeRun({ patience: 2, epochs: 6 });
    r.spec.evaluate = () => Promise.resolve({ loss: scripted[n++]! });
    const res = await runEpochLoop(r.spec);
    expect(res.reason).toBe('early-stopped');
    const notSteps = ['best3', 'end1', 'end2', 'best9', 'end3', 'end4', 'end5', 'done'];
    expect(r.log.filter((l) => !l.startsWith('step'))).toEqual(notSteps);
    expect(res.best).toMatchObject({ value: 2, step: 9, epoch: 3 });
    expect([res.state.epoch, res.state.batchInEpoch, res.state.evalsWithoutImprovement]).toEqual([5, 0, 2]);
    expect(await snapshotWeights(r.trainable)).toEqual(res.best!.weights);
    r.dispose();

    // Mid-epoch (5 updates an epoch), higher is better, NaN never counts as an improvement.
    const m = fakeRun({ patience: 2, evalEverySteps: 1, gradAccumSteps: 1, bestMetric: 'f1' });
    const f1 = [0.5, Number.NaN, 0.5];
    n = 0;
    m.spec.evaluate = () => Promise.resolve({ loss: f1[n++]! });
    m.spec.higherIsBetter = true;
    const resM = await runEpochLoop(m.spec);
    expect(resM.reason).toBe('early-stopped');
    expect(m.log.filter((l) => !l.startsWith('step'))).toEqual(['best1', 'eval1', 'eval2', 'eval3', 'done']);
    expect([resM.state.globalStep, resM.state.epoch, resM.state.batchInEpoch]).toEqual([3, 0, 3]);
    expect(m.events.at(-1)).toMatchObject({ type: 'done', best: { step: 1, epoch: 1, metric: 'f1', value: 0.5 } });
    m.dispose();
  });
});
