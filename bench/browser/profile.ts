// Browser side of bench/profileBrowser.ts: bench/stepPhases.ts on Chromium's wasm backend with
// `?threads=N` (wasmStart.ts), wall-clock ms per phase and tf.profile's kernel tables. The lines
// land in window.__profile (or an error).
import type { ShapeName } from '../common';
import { stepPhases } from '../stepPhases';
import { startBenchWasm } from './wasmStart';

declare global {
  interface Window {
    __profile?: { lines: string[] } | { error: string };
  }
}

const params = new URLSearchParams(location.search);
const shape = (params.get('shape') ?? 'tiny') as ShapeName;
const threads = Number(params.get('threads') ?? 1);
const steps = Number(params.get('steps') ?? 5);

async function main(): Promise<string[]> {
  const got = await startBenchWasm(threads);
  const run = stepPhases(shape, Number(params.get('batch') ?? 32), () => performance.now());
  try {
    run.step('warm-up ', 0);
    for (let i = 1; i <= steps; i++) run.step('', i);
    return [`${got} wasm thread(s)`, ...run.summary('ms'), '', ...(await run.profile())];
  } finally {
    run.dispose();
  }
}

main()
  .then((lines) => {
    window.__profile = { lines };
    document.getElementById('status')!.textContent = 'done';
  })
  .catch((err: unknown) => {
    window.__profile = { error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  });
