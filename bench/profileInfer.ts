// One-sentence inference (the try box's forward) by kernel: `npx tsx bench/profileInfer.ts [base|tiny] [tokens]`.
// Not part of `npm run bench` (bench/inferLatency.ts has the figures).
import * as tf from '@tensorflow/tfjs';
import { median, randomClassifier, syntheticExamples, useBackend, type ShapeName } from './common';
import { batchInput } from '../src/train/evaluate';

const shape = (process.argv[2] ?? 'base') as ShapeName;
const tokens = Number(process.argv[3] ?? 24);
await useBackend('wasm');
const model = randomClassifier(shape);
const ex = syntheticExamples(1, tokens);
const forward = () => {
  const b = batchInput(model, ex, [0], 0, undefined);
  const logits = tf.tidy(() => tf.softmax(model.logits((b.input as { kind: 'tokens'; batch: never }).batch, false, 0)));
  b.dispose();
  return logits;
};
const times: number[] = [];
for (let i = 0; i < 15; i++) {
  const t0 = performance.now();
  const y = forward();
  await y.data();
  y.dispose();
  if (i >= 3) times.push(performance.now() - t0);
}
console.log(
  `${shape}, 1 x ${tokens} tokens: p50 ${median(times).toFixed(1)} ms  [${times.map((t) => t.toFixed(0)).join(' ')}]`,
);
const prof = await tf.profile(() => forward().dispose());
const agg = new Map<string, { ms: number; n: number }>();
for (const k of prof.kernels) {
  const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
  const a = agg.get(key) ?? { ms: 0, n: 0 };
  a.ms += k.kernelTimeMs as number;
  a.n += 1;
  agg.set(key, a);
}
const total = prof.kernels.reduce((s, k) => s + (k.kernelTimeMs as number), 0);
console.log(`${prof.kernels.length} kernels, ${total.toFixed(1)} ms in kernels`);
for (const [n, a] of [...agg].sort((x, y) => y[1].ms - x[1].ms).slice(0, 20))
  console.log(`${a.ms.toFixed(1).padStart(8)} ms ${String(a.n).padStart(4)}x  ${n}`);
model.dispose();
