// AdamW with its moments in host memory (src/train/hostAdamW.ts, the wasm/cpu path) against the
// tf-op update (the GPU path, setHostKernels(false)): bit-for-bit equal parameters and moments over
// several steps on both CPU-class backends, and a saved state moves between the two paths.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/lib/rng';
import { setHostKernels } from '../../../src/model/hostMemory';
import { AdamW, disposeMap, type AdamWState } from '../../../src/train/optimizer';
import { useWasm } from './helpers';

afterAll(() => setHostKernels(true));

// A decaying matrix and a non-decaying bias; sizes not multiples of the SIMD width.
const SHAPES: Record<string, number[]> = { 'dense.weight': [37, 29], 'dense.bias': [29] };
const STEPS = 4;

function randArray(n: number, rand: () => number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
}

/** Parameters and moments after `STEPS` updates (lr varying as a schedule would), from a fixed seed. */
async function runSteps(host: boolean, resumeAt?: { state: AdamWState; weights: Map<string, Float32Array> }) {
  setHostKernels(host);
  const rand = mulberry32(13);
  const init = new Map(
    Object.entries(SHAPES).map(([n, s]) => [
      n,
      randArray(
        s.reduce((a, d) => a * d),
        rand,
        1,
      ),
    ]),
  );
  const grads = Array.from({ length: STEPS }, (_, k) =>
    Object.entries(SHAPES).map(
      ([n, s]) =>
        [
          n,
          randArray(
            s.reduce((a, d) => a * d),
            rand,
            10 ** -(k + 1),
          ),
        ] as const,
    ),
  );
  const start = resumeAt ? 2 : 0;
  const weights = resumeAt?.weights ?? init;
  const params = new Map([...weights].map(([n, w]) => [n, tf.variable(tf.tensor(w, SHAPES[n]), true)]));
  const opt = new AdamW(params, { weightDecay: 0.1 });
  if (resumeAt) opt.setState(resumeAt.state);
  const tensors = tf.memory().numTensors;
  // Host moments are no tensors; tf-op moments are 2 variables per parameter, made at the first step.
  const slotTensors = host || resumeAt ? 0 : 4;
  let mid: { state: AdamWState; weights: Map<string, Float32Array> } | null = null;
  for (let k = start; k < STEPS; k++) {
    const g = new Map(grads[k]!.map(([n, a]) => [n, tf.tensor(a, SHAPES[n])]));
    opt.step(g, 1e-3 * (1 - k / STEPS));
    disposeMap(g);
    expect(tf.memory().numTensors).toBe(tensors + slotTensors);
    if (k === 1)
      mid = {
        state: await opt.getState(),
        weights: new Map([...params].map(([n, p]) => [n, (p.dataSync() as Float32Array).slice()])),
      };
  }
  const out = {
    weights: new Map([...params].map(([n, p]) => [n, Array.from(p.dataSync())])),
    state: await opt.getState(),
    mid,
  };
  opt.dispose();
  params.forEach((p) => p.dispose());
  setHostKernels(true);
  return out;
}

function expectSame(a: Awaited<ReturnType<typeof runSteps>>, b: Awaited<ReturnType<typeof runSteps>>): void {
  for (const [n, w] of a.weights) expect(w, n).toEqual(b.weights.get(n));
  for (const [n, s] of Object.entries(a.state.params)) {
    const t = b.state.params[n]!;
    expect(s.step, n).toBe(t.step);
    expect(Array.from(s.m), `${n} m`).toEqual(Array.from(t.m));
    expect(Array.from(s.v), `${n} v`).toEqual(Array.from(t.v));
  }
}

describe.each(['wasm', 'cpu'])('host-memory AdamW on %s', (backend) => {
  it('equals the tf-op update bit for bit, and a saved state resumes on the other path', async () => {
    if (backend === 'wasm') await useWasm();
    else await tf.setBackend('cpu');
    const host = await runSteps(true);
    const ops = await runSteps(false);
    expectSame(host, ops);
    // A checkpoint written on wasm (host moments) continues on WebGPU (tf-op moments), and back.
    expectSame(await runSteps(false, host.mid!), host);
    expectSame(await runSteps(true, ops.mid!), ops);
  });
});
