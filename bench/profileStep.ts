// Where a training step's time goes (not part of `npm run bench`): process CPU ms per phase of the
// step as src/train/runner.ts runs it (forward + backward, accumulate, clip, AdamW), then a
// tf.profile of one forward + backward by kernel and by kernel + input shapes. `--ab` instead
// alternates the host-memory kernels (src/model/hostMemory.ts) on and off, step by step, so both
// variants see the same machine load. Usage:
//   npx tsx bench/profileStep.ts [tiny|mini|base] [batch] [--ab] [--steps N]
import * as tf from '@tensorflow/tfjs';
import { setHostKernels } from '../src/model/hostMemory';
import { batchInput } from '../src/train/evaluate';
import { AdamW, clipGradNorm, disposeMap, GradAccumulator } from '../src/train/optimizer';
import { lossAndGrads } from '../src/train/step';
import { median, randomClassifier, syntheticExamples, useBackend, type ShapeName } from './common';

const args = process.argv.slice(2);
const flag = (f: string) => args.includes(f);
const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--steps');
const shape = (positional[0] ?? 'tiny') as ShapeName;
const batch = Number(positional[1] ?? 32);
const steps = Number(args[args.indexOf('--steps') + 1] ?? 6) || 6;
const SEQ = 128;

await useBackend('wasm');
const model = randomClassifier(shape);
const trainable = new Map(model.params);
const rows = [...Array(batch).keys()];
const examples = syntheticExamples(batch, SEQ);
const optimizer = new AdamW(trainable);
const acc = new GradAccumulator();
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const phases: Record<string, number[]> = {};
function timed<R>(phase: string, f: () => R): R {
  const c = cpuMs();
  const r = f();
  (phases[phase] ??= []).push(cpuMs() - c);
  return r;
}
const lossOptions = { multiLabel: false, classWeights: null };

function step(tag: string, seed: number): void {
  const b = batchInput(model, examples, rows, 0, undefined);
  const out = timed(`${tag}fwd+bwd`, () => lossAndGrads(model, trainable, b.input, b.labels, lossOptions, true, seed));
  b.dispose();
  timed(`${tag}accumulate`, () => {
    acc.add(out.grads);
    disposeMap(out.grads);
  });
  const mean = acc.takeMean();
  const clipped = timed(`${tag}clip`, () => clipGradNorm(mean, 1));
  disposeMap(mean);
  timed(`${tag}adamw`, () => optimizer.step(clipped.grads, 5e-5));
  disposeMap(clipped.grads);
  clipped.norm.dispose();
  out.loss.dispose();
}

step('warm-up ', 0);
for (let i = 1; i <= steps; i++) {
  if (flag('--ab')) {
    setHostKernels(true);
    step('host ', i);
    setHostKernels(false);
    step('tf-ops ', i);
  } else step('', i);
}
setHostKernels(true);
for (const [k, v] of Object.entries(phases))
  if (!k.startsWith('warm'))
    console.log(
      `${k.padEnd(22)} median ${median(v).toFixed(0).padStart(5)} cpu-ms   [${v.map((x) => x.toFixed(0)).join(' ')}]`,
    );

if (!flag('--ab')) {
  const b = batchInput(model, examples, rows, 0, undefined);
  const prof = await tf.profile(() => {
    const o = lossAndGrads(model, trainable, b.input, b.labels, lossOptions, true, 99);
    disposeMap(o.grads);
    o.loss.dispose();
  });
  b.dispose();
  // customGrad wrappers ("unnamed scope", fusedMatMul__op) also appear with their inner kernels.
  const table = (key: (k: (typeof prof.kernels)[number]) => string, top: number) => {
    const agg = new Map<string, { ms: number; n: number }>();
    for (const k of prof.kernels) {
      const a = agg.get(key(k)) ?? { ms: 0, n: 0 };
      a.ms += k.kernelTimeMs as number;
      a.n += 1;
      agg.set(key(k), a);
    }
    for (const [n, a] of [...agg].sort((x, y) => y[1].ms - x[1].ms).slice(0, top))
      console.log(`${a.ms.toFixed(1).padStart(8)} ms ${String(a.n).padStart(4)}x  ${n}`);
  };
  console.log(`\none forward + backward: ${prof.kernels.length} kernels`);
  table((k) => k.name, 20);
  console.log('');
  table((k) => `${k.name} ${JSON.stringify(k.inputShapes)}`, 30);
}
optimizer.dispose();
model.dispose();
