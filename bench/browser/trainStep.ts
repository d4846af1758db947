// Browser side of the `browser` benchmark: the engine's training step (bench/engineStep.ts) on
// Chromium's wasm backend, on the page's main thread (the app runs the same code in its worker).
// `?threads=N` (N >= 2) starts tfjs-wasm's threaded build with a pool of N threads first
// (wasmStart.ts). Served by `vite preview` from bench/browser.ts; results land in
// window.__benchResult.
import type { ShapeName } from '../common';
import { engineStepTimes, type StepCase } from '../engineStep';
import { startBenchWasm } from './wasmStart';

export interface BrowserStepResult {
  times: number[];
  case: StepCase;
  /** Threads tfjs-wasm actually runs (1 = single-threaded build). */
  threads: number;
  crossOriginIsolated: boolean;
  cores: number;
}

declare global {
  interface Window {
    __benchResult?: BrowserStepResult | { error: string };
  }
}

const params = new URLSearchParams(location.search);
const c: StepCase = {
  shape: (params.get('shape') ?? 'tiny') as ShapeName,
  backend: 'wasm',
  batch: Number(params.get('batch') ?? 32),
  seq: Number(params.get('seq') ?? 128),
  warmup: Number(params.get('warmup') ?? 2),
  steps: Number(params.get('steps') ?? 5),
};
const threads = Number(params.get('threads') ?? 1);
const cores = navigator.hardwareConcurrency;

startBenchWasm(threads)
  .then(async (got) => {
    const t = await engineStepTimes(c);
    window.__benchResult = {
      times: t.wall,
      case: c,
      threads: got,
      crossOriginIsolated,
      cores,
    };
    document.getElementById('status')!.textContent = 'done';
  })
  .catch((err: unknown) => {
    window.__benchResult = { error: err instanceof Error ? err.message : String(err) };
  });
