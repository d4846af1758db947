import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamW, addMany, clipGradNorm, decayApplies, GradAccumulator, disposeMap } from '../../../src/train/optimizer';
import { learningRate, lrFactor, warmupStepsFor } from '../../../src/train/schedule';
import { bceWithLogitsMean, weightedCrossEntropy } from '../../../src/train/losses';
import { mulberry32 } from '../../../src/lib/rng';
import { setHostKernels } from '../../../src/model/hostMemory';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function randArray(n: number, rand: () => number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
}

/** torch.optim.AdamW single-tensor update in float64, the reference for the tf version. */
function adamwReference(p: number[], grads: number[][], lr: number, wd: number): number[] {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  grads.forEach((g, k) => {
    const t = k + 1;
    for (let i = 0; i < p.length; i++) {
      p[i]! *= 1 - lr * wd;
      m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
      v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
      p[i]! -= (lr / (1 - b1 ** t)) * (m[i]! / (Math.sqrt(v[i]!) / Math.sqrt(1 - b2 ** t) + eps));
    }
  });
  return p;
}

describe('AdamW', () => {
  it('groups like HF Trainer: no decay on bias / LayerNorm', () => {
    expect(decayApplies('bert.encoder.layer.0.attention.self.query.weight')).toBe(true);
    expect(decayApplies('bert.embeddings.word_embeddings.weight')).toBe(true);
    expect(decayApplies('classifier.weight')).toBe(true);
    expect(decayApplies('classifier.bias')).toBe(false);
    expect(decayApplies('bert.embeddings.LayerNorm.weight')).toBe(false);
  });

  // Host memory (moments in JS arrays, the cpu/wasm default) and tf ops (as on GPU backends).
  it.each([
    ['host', true, 0],
    ['tf ops', false, 4], // m and v variables for 2 params
  ] as const)(
    'matches the torch update rule over 5 steps, decay only where grouped, no leaks (%s)',
    async (_mode, host, slotTensors) => {
      setHostKernels(host);
      try {
        const rand = mulberry32(7);
        const w0 = randArray(24, rand);
        const b0 = randArray(6, rand);
        const gw = Array.from({ length: 5 }, () => Array.from(randArray(24, rand, 0.3)));
        const gb = Array.from({ length: 5 }, () => Array.from(randArray(6, rand, 1e-3)));
        const params = new Map([
          ['dense.weight', tf.variable(tf.tensor(w0, [4, 6]), true)],
          ['dense.bias', tf.variable(tf.tensor(b0, [6]), true)],
        ]);
        const opt = new AdamW(params, { weightDecay: 0.1 });
        const before = tf.memory().numTensors;
        for (let k = 0; k < 5; k++) {
          const grads = new Map([
            ['dense.weight', tf.tensor(gw[k]!, [4, 6])],
            ['dense.bias', tf.tensor(gb[k]!, [6])],
          ]);
          opt.step(grads, 1e-2);
          disposeMap(grads);
          if (k === 0) expect(tf.memory().numTensors).toBe(before + slotTensors);
        }
        expect(tf.memory().numTensors).toBe(before + slotTensors);
        const wantW = adamwReference(Array.from(w0), gw, 1e-2, 0.1);
        const wantB = adamwReference(Array.from(b0), gb, 1e-2, 0);
        const gotW = params.get('dense.weight')!.dataSync();
        const gotB = params.get('dense.bias')!.dataSync();
        wantW.forEach((x, i) => expect(Math.abs(gotW[i]! - x)).toBeLessThan(1e-6));
        wantB.forEach((x, i) => expect(Math.abs(gotB[i]! - x)).toBeLessThan(1e-6));
        expect(opt.stepCount).toBe(5);
        // State round-trip: a new optimizer restored from the state continues identically.
        const state = await opt.getState();
        const opt2 = new AdamW(params, { weightDecay: 0.1 });
        opt2.setState(state);
        expect((await opt2.getState()).params['dense.weight']!.m).toEqual(state.params['dense.weight']!.m);
        expect(opt2.stepCount).toBe(5);
        opt.dispose();
        opt2.dispose();
        expect(tf.memory().numTensors).toBe(before);
        params.forEach((p) => p.dispose());
      } finally {
        setHostKernels(true);
      }
    },
  );

  it('skips parameters without a gradient (no decay, no state)', async () => {
    const a = tf.variable(tf.ones([3]), true);
    const frozen = tf.variable(tf.ones([3]), true);
    const opt = new AdamW(new Map([['a.weight', a]]), { weightDecay: 0.5 });
    const g = new Map([['a.weight', tf.zeros([3])]]);
    opt.step(g, 0.1);
    disposeMap(g);
    expect(Array.from(a.dataSync())).toEqual([0.95, 0.95, 0.95].map((x) => Math.fround(x)));
    expect(Array.from(frozen.dataSync())).toEqual([1, 1, 1]);
    expect(Object.keys((await opt.getState()).params)).toEqual(['a.weight']);
    opt.dispose();
    a.dispose();
    frozen.dispose();
  });
});

describe('clipGradNorm', () => {
  it('scales by max_norm / (norm + 1e-6) only when that is below 1', () => {
    const grads = new Map([
      ['x', tf.tensor([3, 4])],
      ['y', tf.tensor([12])],
    ]); // global norm 13
    const before = tf.memory().numTensors;
    const clipped = clipGradNorm(grads, 1);
    expect(clipped.norm.dataSync()[0]).toBeCloseTo(13, 5);
    const s = 1 / (13 + 1e-6);
    expect(clipped.grads.get('x')!.dataSync()[1]).toBeCloseTo(4 * s, 7);
    expect(clipped.grads.get('y')!.dataSync()[0]).toBeCloseTo(12 * s, 7);
    disposeMap(clipped.grads);
    clipped.norm.dispose();
    const loose = clipGradNorm(grads, 100);
    expect(Array.from(loose.grads.get('y')!.dataSync())).toEqual([12]);
    disposeMap(loose.grads);
    loose.norm.dispose();
    expect(tf.memory().numTensors).toBe(before);
    disposeMap(grads);
  });
});

describe('addMany (addN in chunks of 7 inputs for WebGPU)', () => {
  it('equals one addN bit for bit, for any count, without leaks', () => {
    const rand = mulberry32(5);
    const before = tf.memory().numTensors;
    for (const n of [1, 2, 7, 8, 13, 41, 200]) {
      // Magnitudes over 6 decades, so a different summation order would show in the last bits.
      const xs = Array.from({ length: n }, () => tf.tensor(randArray(3, rand, 10 ** Math.floor(rand() * 6 - 3))));
      const [got, want] = [addMany(xs), tf.addN(xs)];
      expect(Array.from(got.dataSync()), `n = ${n}`).toEqual(Array.from(want.dataSync()));
      tf.dispose([...xs, got, want]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('GradAccumulator', () => {
  it('averages micro-batch gradients', () => {
    const acc = new GradAccumulator();
    const before = tf.memory().numTensors;
    for (const v of [1, 2, 6]) {
      const g = new Map([['x', tf.tensor([v, -v])]]);
      acc.add(g);
      disposeMap(g);
    }
    const mean = acc.takeMean();
    expect(Array.from(mean.get('x')!.dataSync())).toEqual([3, -3]);
    disposeMap(mean);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('schedules (HF optimization.py)', () => {
  const o = { warmupSteps: 2, totalSteps: 10 };
  it('linear warmup then linear decay to 0', () => {
    const f = Array.from({ length: 11 }, (_, s) => lrFactor(s, { kind: 'linear', ...o }));
    expect(f).toEqual([0, 0.5, 1, 7 / 8, 6 / 8, 5 / 8, 4 / 8, 3 / 8, 2 / 8, 1 / 8, 0]);
    expect(learningRate(1e-3, 1, { kind: 'linear', ...o })).toBe(0); // the first update has lr 0 with warmup, as in HF
  });
  it('cosine', () => {
    expect(lrFactor(2, { kind: 'cosine', ...o })).toBeCloseTo(1, 12);
    expect(lrFactor(6, { kind: 'cosine', ...o })).toBeCloseTo(0.5, 12);
    expect(lrFactor(4, { kind: 'cosine', ...o })).toBeCloseTo(0.5 * (1 + Math.cos(Math.PI / 4)), 12);
    expect(lrFactor(10, { kind: 'cosine', ...o })).toBeCloseTo(0, 12);
  });
  it('constant and warmup steps from a ratio', () => {
    expect(lrFactor(1, { kind: 'constant', warmupSteps: 0, totalSteps: 10 })).toBe(1);
    expect(warmupStepsFor(95, 0.1)).toBe(10);
    expect(warmupStepsFor(95, 0.1, 3)).toBe(3);
  });
});

describe('losses', () => {
  const logits = [
    [1.0, -0.5, 0.25],
    [0.2, 0.1, -1.0],
    [-0.3, 2.0, 0.5],
    [0.0, 0.0, 3.0],
  ];
  it('weighted CE = sum(w_y nll) / sum(w_y) (numpy reference)', () => {
    const x = tf.tensor2d(logits);
    const y = tf.tensor1d([0, 2, 1, 2], 'int32');
    expect(weightedCrossEntropy(x, y, null).dataSync()[0]).toBeCloseTo(0.7235724581781527, 6);
    expect(weightedCrossEntropy(x, y, [0.5, 2.0, 1.5]).dataSync()[0]).toBeCloseTo(0.7188285349081728, 6);
    const z = tf.tensor2d([
      [1, 0, 1],
      [0, 0, 1],
      [1, 1, 0],
      [0, 1, 1],
    ]);
    expect(bceWithLogitsMean(x, z).dataSync()[0]).toBeCloseTo(0.6341097717446498, 6);
    tf.dispose([x, y, z]);
  });
});
