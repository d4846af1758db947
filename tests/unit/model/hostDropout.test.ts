// The host-memory dropout (src/model/layers/hostDropout.ts) against tfjs's tf.dropout on the wasm
// and cpu backends: bit-for-bit the same output, gradient and mask for the same seed, the mask
// stream equal to tf.randomUniform's, no leaked tensors, and DropoutCtx's values unchanged.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leanVariableGrads } from '../../../src/model/leanGrads';
import { setHostKernels } from '../../../src/model/hostMemory';
import { dropout, fillDropoutMask, keepThreshold } from '../../../src/model/layers/hostDropout';
import { DropoutCtx } from '../../../src/model/layers/ops';
import { BACKENDS, useBackend } from './helpers';

const SEEDS = [1, 42, 123456789, 2147483646];
const RATES = [0.1, 0.2, 0.5];
const SHAPES = [[1], [7], [3, 5, 7], [2, 3, 17, 11], [33, 129]];

/** Index of the first element whose bits differ (NaN payloads and -0 included), or -1. */
function firstBitDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}

function expectBitEqual(got: Float32Array, want: Float32Array, what: string): void {
  const i = firstBitDiff(got, want);
  expect(i, `${what}: element ${i} is ${got[i]}, tf.dropout gives ${want[i]}`).toBe(-1);
}

/** Values and d(sum(y * dy))/dx of `f` at x. */
function valueAndGrad(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, dy: tf.Tensor): [Float32Array, Float32Array] {
  return tf.tidy(() => {
    const y = f(x).dataSync() as Float32Array;
    const dx = tf.grad(f)(x, dy).dataSync() as Float32Array;
    return [y.slice(), dx.slice()];
  });
}

/** Kernels one call runs: the host path must not reach tf.dropout's Add/Floor/RealDiv. */
async function kernelNames(f: () => tf.Tensor): Promise<string[]> {
  const info = await tf.profile(() => f());
  tf.dispose(info.result);
  return info.kernelNames;
}

afterAll(() => setHostKernels(true));

describe.each(BACKENDS)('host dropout on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
    setHostKernels(true);
  });

  it('draws the mask itself, without tf.dropout kernels', async () => {
    const x = tf.randomNormal([4, 9]);
    const host = await kernelNames(() => dropout(x, 0.1, 5));
    setHostKernels(false);
    const plain = await kernelNames(() => dropout(x, 0.1, 5));
    setHostKernels(true);
    x.dispose();
    expect(host).toContain('Multiply');
    for (const k of ['Add', 'Floor', 'RealDiv']) expect(host).not.toContain(k);
    expect(plain).toEqual(expect.arrayContaining(['Add', 'Floor', 'RealDiv', 'Multiply']));
  });

  it('gives tf.dropout output and gradient bit for bit', () => {
    for (const shape of SHAPES)
      for (const seed of SEEDS)
        for (const rate of RATES) {
          const x = tf.randomNormal(shape, 0, 3, 'float32', seed);
          const dy = tf.randomNormal(shape, 0, 1, 'float32', seed + 1);
          const [y, dx] = valueAndGrad((v) => dropout(v, rate, seed), x, dy);
          const [yRef, dxRef] = valueAndGrad((v) => tf.dropout(v, rate, undefined, seed), x, dy);
          const what = `[${shape.join(',')}] seed ${seed} rate ${rate}`;
          expectBitEqual(y, yRef, `${what} output`);
          expectBitEqual(dx, dxRef, `${what} gradient`);
          tf.dispose([x, dy]);
        }
  });

  it('keeps tf.dropout values for inf, NaN, -0 and huge inputs', () => {
    const x = tf.tensor1d([Infinity, -Infinity, NaN, -0, 0, 3.4e38, -3.4e38, 1e-45, -1e-45, 1, -1, 0.5]);
    for (const seed of SEEDS) {
      const dy = tf.onesLike(x);
      const [y, dx] = valueAndGrad((v) => dropout(v, 0.5, seed), x, dy);
      const [yRef, dxRef] = valueAndGrad((v) => tf.dropout(v, 0.5, undefined, seed), x, dy);
      expectBitEqual(y, yRef, `seed ${seed} output`);
      expectBitEqual(dx, dxRef, `seed ${seed} gradient`);
      dy.dispose();
    }
    x.dispose();
  });

  it('draws the multiplier tf.randomUniform gives for the same seed', () => {
    // 2^19 draws per rate: the stream itself (keepThreshold's exact edge is checked below).
    const n = 1 << 19;
    for (const seed of [7, 'dropout-seed'])
      for (const rate of [...RATES, 0.37, 0.9, 1.2e-7]) {
        const keepProb = Math.fround(1 - rate);
        const mask = new Float32Array(n);
        fillDropoutMask(mask, keepProb, String(seed));
        const want = tf.tidy(() => {
          const u = tf.randomUniform([n], 0, 1, 'float32', seed);
          return tf.div(tf.floor(tf.add(u, 1 - rate)), 1 - rate).dataSync() as Float32Array;
        });
        expectBitEqual(mask, want, `seed ${seed} rate ${rate} mask`);
        // Also the gradient of x -> dropout(x) at dy = 1 is the mask the op keeps.
        const x = tf.zeros([n]);
        const dx = tf.tidy(() =>
          tf
            .grad((v: tf.Tensor) => dropout(v, rate, seed))(x, tf.onesLike(x))
            .dataSync(),
        );
        expectBitEqual(dx as Float32Array, want, `seed ${seed} rate ${rate} saved mask`);
        x.dispose();
        const kept = mask.reduce((a, m) => a + (m > 0 ? 1 : 0), 0) / n;
        expect(Math.abs(kept - keepProb)).toBeLessThan(0.005);
      }
  });

  it('keeps exactly the draws tf.dropout keeps: the threshold is the edge of its float32 test', () => {
    const eps = 2 ** -32; // Alea's draws are multiples of 2^-32
    const rates = [...RATES, 1.2e-7, 1e-6, 0.37, 0.9, 0.999];
    for (let r = 0.01; r < 1; r += 0.01) rates.push(r);
    for (const rate of rates) {
      const t = keepThreshold(Math.fround(1 - rate));
      const bits = tf.tidy(() => tf.floor(tf.add(tf.tensor1d([t - eps, t, 0, 1 - eps]), 1 - rate)).dataSync());
      expect([...bits], `rate ${rate}`).toEqual([0, 1, 0, 1]);
    }
  });

  it('falls back to tf.dropout where the mask is not 0 or 1 / keepProb', () => {
    const x = tf.randomNormal([50], 0, 1, 'float32', 3);
    const [y, dx] = valueAndGrad((v) => dropout(v, 3e-8, 9), x, tf.onesLike(x));
    const [yRef, dxRef] = valueAndGrad((v) => tf.dropout(v, 3e-8, undefined, 9), x, tf.onesLike(x));
    expectBitEqual(y, yRef, 'output');
    expectBitEqual(dx, dxRef, 'gradient');
    x.dispose();
  });

  it('leaks no tensor, with or without a tape, through tf.grad and the lean backward pass', () => {
    const x = tf.randomNormal([6, 10]);
    const w = tf.variable(tf.randomNormal([6, 10]));
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      dropout(x, 0.2, 1);
    });
    dropout(x, 0.2, 2).dispose();
    tf.grad((v: tf.Tensor) => dropout(v, 0.2, 3))(x).dispose();
    const { value, grads } = leanVariableGrads(() => tf.tidy(() => tf.sum(dropout(tf.mul(w, x), 0.2, 4))), [w]);
    tf.dispose([value, ...Object.values(grads).filter((g): g is tf.Tensor => g !== null)]);
    const vg = tf.variableGrads(() => tf.sum(dropout(tf.mul(w, x), 0.2, 5)), [w]);
    tf.dispose([vg.value, ...Object.values(vg.grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w]);
  });

  it('leaves DropoutCtx values as tf.dropout gave them, site by site', () => {
    const seed = 20240611;
    const x = tf.randomNormal([2, 8, 32], 0, 1, 'float32', 1);
    const ctx = new DropoutCtx(true, seed);
    for (let site = 1; site <= 3; site++) {
      const rate = RATES[site - 1]!;
      const siteSeed = (seed * 1000003 + site * 7919) % 2147483647; // DropoutCtx's per-site seed
      const got = tf.tidy(() => ctx.apply(x, rate).dataSync() as Float32Array);
      const want = tf.tidy(() => tf.dropout(x, rate, undefined, siteSeed).dataSync() as Float32Array);
      expectBitEqual(got, want, `site ${site}`);
    }
    expect(new DropoutCtx(false, seed).apply(x, 0.5)).toBe(x);
    x.dispose();
  });
});
