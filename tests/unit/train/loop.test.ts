// The training loop on a tiny BERT (the parity fixture's 2-layer, hidden-16 encoder) and a
// synthetic task: stop/resume equals an uninterrupted run, frozen parts stay bitwise equal,
// no tensor leaks, clear errors for divergence and out-of-memory.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeFolderSource } from '../../../src/model/checkpoint/nodeSource';
import type { Example } from '../../../src/train/batches';
import type { SequenceClassifier } from '../../../src/train/classifier';
import type { HeadSpec } from '../../../src/train/heads';
import { loadClassifier } from '../../../src/train/loadModel';
import { train, TrainControl, TrainingError, type TrainEvent, type TrainOptions } from '../../../src/train/loop';
import { snapshotWeights } from '../../../src/train/trainState';
import { mulberry32 } from '../../../src/lib/rng';
import { PARITY_DIR, useWasm } from './helpers';

beforeAll(useWasm);

/** Label 1 iff token 1050 occurs: learnable in a few steps. */
function synthetic(n: number, seed: number): Example[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const len = 3 + Math.floor(rand() * 8);
    const ids = Array.from({ length: len }, () => 1000 + Math.floor(rand() * 49));
    const label = i % 2;
    if (label) ids[Math.floor(rand() * len)] = 1050;
    return { inputIds: [101, ...ids, 102], tokenTypeIds: new Array<number>(len + 2).fill(0), label };
  });
}

const DATA = { train: synthetic(48, 1), valid: synthetic(16, 2), padId: 0 };
const BASE: Partial<TrainOptions> = {
  epochs: 2,
  batchSize: 8,
  lr: 3e-3,
  seed: 5,
  reportIntervalMs: 0,
  evalBatchSize: 16,
  warmupRatio: 0.1,
};

async function tinyModel(head: HeadSpec = { kind: 'linear' }): Promise<SequenceClassifier> {
  return (
    await loadClassifier(nodeFolderSource(`${PARITY_DIR}/bert-seqcls`), {
      labels: ['no', 'yes'],
      head,
      multiLabel: false,
      seed: 3,
    })
  ).model;
}

function sameWeights(a: Record<string, Float32Array>, b: Record<string, Float32Array>): boolean {
  return (
    Object.keys(a).length === Object.keys(b).length &&
    Object.entries(a).every(([k, v]) => b[k] !== undefined && v.every((x, i) => Object.is(x, b[k]![i])))
  );
}

describe('train loop', () => {
  it('stop + resume gives the same final weights as an uninterrupted run, without leaks', async () => {
    const opts: Partial<TrainOptions> = { ...BASE, gradAccumSteps: 2, evalEverySteps: 2 };
    const a = await tinyModel();
    const tensorsBefore = tf.memory().numTensors;
    const eventsA: TrainEvent[] = [];
    const resA = await train(a, DATA, opts, (e) => eventsA.push(e));
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(resA.reason).toBe('completed');
    const steps = eventsA.filter((e) => e.type === 'step');
    expect(steps.length).toBe(6); // 48 rows / 8 = 6 micro-batches, accum 2 -> 3 updates x 2 epochs
    expect(steps.map((e) => e.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(eventsA.filter((e) => e.type === 'epochEnd').length).toBe(2);
    const finalA = await snapshotWeights(a.params);

    const b = await tinyModel();
    const control = new TrainControl();
    const resB = await train(b, DATA, opts, (e) => e.type === 'step' && e.step === 4 && control.stop(), control);
    expect(resB.reason).toBe('stopped');
    expect(resB.state.globalStep).toBe(4);
    b.dispose();

    const c = await tinyModel(); // fresh load: only the saved state carries the run
    const resC = await train(c, DATA, opts, () => {}, new TrainControl(), resB.state);
    expect(resC.reason).toBe('completed');
    expect(sameWeights(await snapshotWeights(c.params), finalA)).toBe(true);
    expect(resC.history.map((h) => h.valid?.loss)).toEqual(resA.history.map((h) => h.valid?.loss));
    expect(resC.best?.step).toBe(resA.best?.step);
    a.dispose();
    c.dispose();
  });

  it('frozen encoder: cached features, encoder bitwise unchanged, head learns (mlp head)', async () => {
    const m = await tinyModel({ kind: 'mlp', hiddenSize: 32, activation: 'gelu', dropout: 0.1 });
    const before = await snapshotWeights(m.params);
    const events: TrainEvent[] = [];
    const res = await train(m, DATA, { ...BASE, freeze: 'encoder', lr: 1e-2, epochs: 3 }, (e) => events.push(e));
    const after = await snapshotWeights(m.params);
    const encoder = Object.keys(before).filter(
      (n) => n.startsWith('bert.embeddings.') || n.startsWith('bert.encoder.'),
    );
    expect(encoder.length).toBe(5 + 2 * 16);
    for (const n of encoder) expect(sameWeights({ [n]: before[n]! }, { [n]: after[n]! })).toBe(true);
    expect(sameWeights({ x: before['classifier.out_proj.weight']! }, { x: after['classifier.out_proj.weight']! })).toBe(
      false,
    );
    expect(events.some((e) => e.type === 'phase' && e.done === e.total)).toBe(true);
    expect(res.history[2]!.trainLoss).toBeLessThan(res.history[0]!.trainLoss);
    const exported = await m.exportWeights();
    expect(exported.get('classifier.dense.weight')!.shape).toEqual([32, 16]);
    expect(exported.get('classifier.out_proj.weight')!.shape).toEqual([2, 32]);
    expect(exported.has('classifier.weight')).toBe(false);
    m.dispose();
  });

  it('lower:1 freezes embeddings and layer 0 only', async () => {
    const m = await tinyModel();
    const before = await snapshotWeights(m.params);
    await train(m, DATA, { ...BASE, epochs: 1, freeze: { lower: 1 } }, () => {});
    const after = await snapshotWeights(m.params);
    const changed = (n: string): boolean => !sameWeights({ x: before[n]! }, { x: after[n]! });
    expect(changed('bert.embeddings.word_embeddings.weight')).toBe(false);
    expect(changed('bert.encoder.layer.0.attention.self.query.weight')).toBe(false);
    expect(changed('bert.encoder.layer.1.attention.self.query.weight')).toBe(true);
    expect(changed('classifier.weight')).toBe(true);
    m.dispose();
  });

  it('early stopping ends the run after `patience` evaluations without improvement', async () => {
    const m = await tinyModel();
    const events: TrainEvent[] = [];
    // A learning rate too small to move any metric: the first evaluation stays the best.
    const res = await train(
      m,
      DATA,
      { ...BASE, epochs: 3, lr: 1e-12, evalEverySteps: 1, patience: 2, bestMetric: 'loss' },
      (e) => events.push(e),
    );
    expect(res.reason).toBe('early-stopped');
    expect(res.state.globalStep).toBe(3);
    expect(events.filter((e) => e.type === 'best').length).toBe(1);
    expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'early-stopped', steps: 3, best: { step: 1 } });
    m.dispose();
  });

  it('pause holds the run between batches until resumed', async () => {
    const m = await tinyModel();
    const control = new TrainControl();
    let stepsWhilePaused = 0;
    let pausedAt = -1;
    const run = train(
      m,
      DATA,
      { ...BASE, epochs: 1 },
      (e) => {
        if (e.type === 'step' && e.step === 2) {
          control.pause();
          pausedAt = e.step;
        } else if (e.type === 'step' && control.paused) stepsWhilePaused++;
      },
      control,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(pausedAt).toBe(2);
    control.resume();
    const res = await run;
    expect(stepsWhilePaused).toBe(0);
    expect(res.state.globalStep).toBe(6);
    m.dispose();
  });

  it('a NaN loss stops the run with advice to lower the learning rate', async () => {
    const m = await tinyModel();
    m.params.get('classifier.bias')!.assign(tf.tensor1d([Number.NaN, 0]));
    const events: TrainEvent[] = [];
    const tensors = tf.memory().numTensors;
    await expect(train(m, DATA, { ...BASE, epochs: 1 }, (e) => events.push(e))).rejects.toThrow(
      /lower learning rate|Try a lower learning rate/,
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', kind: 'diverged' });
    expect(tf.memory().numTensors).toBe(tensors);
    m.dispose();
  });

  it('an allocation failure names the batch shape and suggests a smaller batch', async () => {
    const m = await tinyModel();
    m.logits = () => {
      throw new Error('Aborted(OOM)');
    };
    const err = await train(m, DATA, { ...BASE, epochs: 1, freeze: 'embeddings' }, () => {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingError);
    expect((err as TrainingError).kind).toBe('oom');
    expect((err as Error).message).toMatch(/batch of 8 rows x \d+ tokens.*batch size to 4.*accumulation to 2/);
    m.dispose();
  });
});
