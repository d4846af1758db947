// The wasm fast paths of src/model/layers (wasmGemm.ts batched GEMM on heap views and depthwise
// convolution, ops.ts LayerNorm with a written-out backward) against tf's own ops on the plain-JS cpu backend, which shares no
// code with them: values and gradients, and no tensor left behind.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/lib/rng';
import { layerNorm, matMul } from '../../../src/model/layers/ops';
import { batchedConvNT } from '../../../src/model/layers/wasmGemm';
import { useBackend } from './helpers';

function randomData(size: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  return Float32Array.from({ length: size }, () => rand() * 2 - 1);
}

interface Case {
  shapes: number[][];
  data: Float32Array[];
}

function makeCase(shapes: number[][], seed: number): Case {
  return {
    shapes,
    data: shapes.map((s, i) =>
      randomData(
        s.reduce((a, d) => a * d, 1),
        seed + i,
      ),
    ),
  };
}

/** Value and gradients of sum(f(inputs) * w) on the given backend, as plain arrays. */
async function run(backend: 'cpu' | 'wasm', c: Case, f: (...xs: tf.Tensor[]) => tf.Tensor): Promise<Float32Array[]> {
  await useBackend(backend);
  const before = tf.memory().numTensors;
  const out = tf.tidy(() => {
    const xs = c.shapes.map((s, i) => tf.tensor(c.data[i]!, s));
    const y = f(...xs);
    const w = tf.tensor(randomData(y.size, 99), y.shape);
    const grads = tf.grads((...ins: tf.Tensor[]) => tf.sum(tf.mul(f(...ins), w)))(xs);
    return [y, ...grads].map((t) => t.dataSync() as Float32Array);
  });
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

function expectClose(got: Float32Array[], want: Float32Array[], tol: number): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    expect(g.length).toBe(w.length);
    let worst = 0;
    for (let k = 0; k < g.length; k++) worst = Math.max(worst, Math.abs(g[k]! - w[k]!) / (1 + Math.abs(w[k]!)));
    expect(worst, `output ${i}`).toBeLessThan(tol);
  });
}

describe('wasm fast paths equal tf ops on cpu', () => {
  afterAll(() => tf.setBackend('cpu'));

  it.each([
    ['attention scores [C, T, d] @ [C, d, T]', [6, 16, 8], [6, 8, 16], false],
    ['context [C, T, T] @ [C, T, d]', [6, 16, 16], [6, 16, 8], false],
    ['[CLS]-only row, with transposeB', [6, 1, 8], [6, 16, 8], true],
    ['two batch axes [B, nH, M, K]', [2, 3, 5, 7], [2, 3, 7, 4], false],
  ] as const)('batched matMul: %s', async (_, aShape, bShape, transposeB) => {
    const c = makeCase([[...aShape], [...bShape]], 1);
    const f = (a: tf.Tensor, b: tf.Tensor) => matMul(a, b, transposeB);
    const want = await run('cpu', c, f);
    expectClose(await run('wasm', c, f), want, 1e-5);
  });

  // The threaded-wasm form (Node runs wasm single-threaded, so matMul never picks it here).
  it('batched a @ b^T as one depthwise convolution', async () => {
    const c = makeCase(
      [
        [6, 16, 8],
        [6, 12, 8],
      ],
      3,
    );
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.getBackend() === 'wasm' ? batchedConvNT(a as tf.Tensor3D, b as tf.Tensor3D) : tf.matMul(a, b, false, true);
    expectClose(await run('wasm', c, f), await run('cpu', c, f), 1e-5);
  });

  it('LayerNorm with the written-out backward', async () => {
    const c = makeCase([[4, 8, 32], [32], [32]], 5);
    const f = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => layerNorm(tf.mul(x, 3), g, b, 1e-12);
    expectClose(await run('wasm', c, f), await run('cpu', c, f), 1e-5);
  });
});
