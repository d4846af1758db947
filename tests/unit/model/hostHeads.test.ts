// The host-memory head split (src/model/layers/hostHeads.ts) against tfjs's split + reshape +
// transpose on the wasm and cpu backends: bit-for-bit the same q, k, v and the same gradient of
// the fused input, for both K layouts and odd shapes, through tf.grad and the lean backward pass,
// and no leaked tensors.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setHostKernels } from '../../../src/model/hostMemory';
import { SPLIT_HEADS, splitHeads } from '../../../src/model/layers/hostHeads';
import { leanVariableGrads } from '../../../src/model/leanGrads';
import { BACKENDS, useBackend } from './helpers';

// [B, T, nH, d]
const SHAPES: Array<[number, number, number, number]> = [
  [3, 5, 2, 3],
  [1, 1, 1, 1],
  [2, 7, 4, 5],
  [4, 16, 2, 8],
];

/** The reference, written out from the tf ops the attention layer used before. */
function reference(qkv: tf.Tensor, nH: number, kT: boolean): tf.Tensor[] {
  const [b, t, h3] = qkv.shape as [number, number, number];
  const d = h3 / 3 / nH;
  const [q, k, v] = tf.split(qkv, 3, 2);
  return [
    tf.transpose(q!.reshape([b, t, nH, d]), [0, 2, 1, 3]),
    tf.transpose(k!.reshape([b, t, nH, d]), kT ? [0, 2, 3, 1] : [0, 2, 1, 3]),
    tf.transpose(v!.reshape([b, t, nH, d]), [0, 2, 1, 3]),
  ];
}

function expectBitEqual(got: tf.Tensor, want: tf.Tensor, what: string): void {
  expect(got.shape, what).toEqual(want.shape);
  const a = got.dataSync() as Float32Array;
  const b = want.dataSync() as Float32Array;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let first = -1;
  for (let i = 0; i < ua.length && first < 0; i++) if (ua[i] !== ub[i]) first = i;
  expect(first, `${what}: element ${first} is ${a[first]}, the tf ops give ${b[first]}`).toBe(-1);
}

/** sum(q * wq + k * wk + v * wv): every output reaches the gradient with its own weights. */
function weightedSum(outs: tf.Tensor[], ws: tf.Tensor[]): tf.Scalar {
  return tf.addN(outs.map((o, i) => tf.sum(tf.mul(o, ws[i]!)))) as tf.Scalar;
}

afterAll(() => setHostKernels(true));

describe.each(BACKENDS)('host head split on %s', (backend) => {
  beforeAll(async () => {
    await useBackend(backend);
    setHostKernels(true);
  });

  it('runs as one kernel, without SplitV or Transpose', async () => {
    const x = tf.randomNormal([2, 3, 12]);
    const info = await tf.profile(() => splitHeads(x, 2, true));
    tf.dispose(info.result as tf.Tensor[]);
    x.dispose();
    expect(info.kernelNames).toEqual([SPLIT_HEADS]);
  });

  it.each([false, true])('gives the tf ops values and gradient bit for bit (K transposed: %s)', (kT) => {
    for (const [b, t, nH, d] of SHAPES) {
      const what = `[${b}, ${t}, ${nH}, ${d}]`;
      const x = tf.randomNormal([b, t, 3 * nH * d], 0, 3, 'float32', b * 100 + t);
      const got = splitHeads(x, nH, kT);
      const want = reference(x, nH, kT);
      for (let i = 0; i < 3; i++) expectBitEqual(got[i]!, want[i]!, `${what} output ${i}`);
      const ws = want.map((w, i) => tf.randomNormal(w.shape, 0, 1, 'float32', i + 7));
      const dx = tf.grad((v: tf.Tensor) => weightedSum(splitHeads(v, nH, kT), ws))(x);
      const dxRef = tf.grad((v: tf.Tensor) => weightedSum(reference(v, nH, kT), ws))(x);
      expectBitEqual(dx, dxRef, `${what} gradient`);
      // An output left out of the loss gets a zero gradient, as with the tf ops.
      const dxQ = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(splitHeads(v, nH, kT)[0]!, ws[0]!)))(x);
      const dxQRef = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(reference(v, nH, kT)[0]!, ws[0]!)))(x);
      expectBitEqual(dxQ, dxQRef, `${what} gradient through q only`);
      tf.dispose([x, ...got, ...want, ...ws, dx, dxRef, dxQ, dxQRef]);
    }
  });

  it('matches the tf ops with host kernels off (the GPU-backend path)', () => {
    const x = tf.randomNormal([3, 5, 18], 0, 1, 'float32', 11);
    const host = splitHeads(x, 2, true);
    setHostKernels(false);
    const plain = splitHeads(x, 2, true);
    setHostKernels(true);
    for (let i = 0; i < 3; i++) expectBitEqual(host[i]!, plain[i]!, `output ${i}`);
    tf.dispose([x, ...host, ...plain]);
  });

  it('leaks no tensor through tf.grad, variableGrads and the lean backward pass', () => {
    const x = tf.randomNormal([3, 5, 18]);
    const w = tf.variable(tf.randomNormal([3, 5, 18]));
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      splitHeads(x, 3, false);
    });
    tf.dispose(splitHeads(x, 3, true));
    tf.grad((v: tf.Tensor) => tf.sum(splitHeads(v, 3, true)[1]!))(x).dispose();
    const loss = () => tf.tidy(() => tf.addN(splitHeads(tf.mul(w, x), 3, true).map((o) => tf.sum(tf.square(o)))));
    const { value, grads } = leanVariableGrads(() => loss() as tf.Scalar, [w]);
    tf.dispose([value, ...Object.values(grads).filter((g): g is tf.Tensor => g !== null)]);
    const vg = tf.variableGrads(() => loss() as tf.Scalar, [w]);
    tf.dispose([vg.value, ...Object.values(vg.grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w]);
  });
});
