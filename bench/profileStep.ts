// Where a training step's time goes (not part of `npm run bench`): process CPU ms per phase of the
// step (bench/stepPhases.ts), then a tf.profile of one forward + backward by kernel and by kernel +
// input shapes, on Node's single-threaded wasm. `--ab` instead alternates the host-memory kernels
// (src/model/hostMemory.ts) on and off in the forward + backward, step by step, so both variants
// see the same machine load (AdamW keeps its host moments either way).
// bench/profileBrowser.ts does the same in Chromium, with wasm threads. Usage:
//   npx tsx bench/profileStep.ts [tiny|mini|base] [batch] [--ab] [--steps N]
import { setHostKernels } from '../src/model/hostMemory';
import { useBackend, type ShapeName } from './common';
import { stepPhases } from './stepPhases';

const args = process.argv.slice(2);
const flag = (f: string) => args.includes(f);
const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--steps');
const shape = (positional[0] ?? 'tiny') as ShapeName;
const batch = Number(positional[1] ?? 32);
const steps = Number(args[args.indexOf('--steps') + 1] ?? 6) || 6;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

await useBackend('wasm');
const run = stepPhases(shape, batch, cpuMs);
run.step('warm-up ', 0);
for (let i = 1; i <= steps; i++) {
  if (flag('--ab')) {
    run.step('host ', i);
    run.step('tf-ops ', i, (f) => {
      setHostKernels(false);
      try {
        return f();
      } finally {
        setHostKernels(true);
      }
    });
  } else run.step('', i);
}
for (const line of run.summary('cpu-ms')) console.log(line);
if (!flag('--ab')) for (const line of ['', ...(await run.profile())]) console.log(line);
run.dispose();
