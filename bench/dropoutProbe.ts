// Dropout forward and backward, tf.dropout against the host-memory version (hostDropout.ts) and
// against a mask built in a plain Float32Array and uploaded with tf.tensor, alternated in one
// process on the activation shapes of a BERT-Mini step (not part of `npm run bench`):
// `npx tsx bench/dropoutProbe.ts [wasm|cpu]`.
import * as tf from '@tensorflow/tfjs';
import { dropout, fillDropoutMask } from '../src/model/layers/hostDropout';
import { median, useBackend } from './common';

const backend = process.argv[2] === 'cpu' ? 'cpu' : 'wasm';
await useBackend(backend);
const RATE = 0.1;
const ROUNDS = 11;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

// The mask filled in JS memory, then uploaded: the simpler variant the host path is measured against.
function uploadedMaskDropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  const mask = new Float32Array(x.size);
  fillDropoutMask(mask, Math.fround(1 - rate), String(seed));
  return tf.tidy(() => tf.mul(x, tf.tensor(mask, x.shape)));
}

const variants: Record<string, (x: tf.Tensor, seed: number) => tf.Tensor> = {
  'tf.dropout': (x, seed) => tf.dropout(x, RATE, undefined, seed),
  host: (x, seed) => dropout(x, RATE, seed),
  'tf.tensor mask': (x, seed) => uploadedMaskDropout(x, RATE, seed),
};

for (const shape of [
  [32, 4, 128, 128],
  [32, 128, 256],
]) {
  const x = tf.randomNormal(shape);
  const dy = tf.randomNormal(shape);
  const fwd: Record<string, number[]> = {};
  const both: Record<string, number[]> = {};
  for (let r = 0; r < ROUNDS; r++)
    for (const [name, f] of Object.entries(variants)) {
      const seed = 1000 + r;
      let c = cpuMs();
      tf.dispose(f(x, seed)); // wasm and cpu run kernels synchronously: no read-back needed
      (fwd[name] ??= []).push(cpuMs() - c);
      c = cpuMs();
      tf.dispose(tf.grad((v: tf.Tensor) => f(v, seed))(x, dy));
      (both[name] ??= []).push(cpuMs() - c);
    }
  console.log(`[${shape.join(', ')}] on ${backend}, rate ${RATE}, median of ${ROUNDS}:`);
  for (const name of Object.keys(variants))
    console.log(
      `  ${name.padEnd(15)} forward ${median(fwd[name]!).toFixed(1).padStart(6)} cpu-ms` +
        `   forward + backward ${median(both[name]!).toFixed(1).padStart(6)} cpu-ms`,
    );
  tf.dispose([x, dy]);
}
console.log(`tensors left: ${tf.memory().numTensors}`);
