// Browser side of the `browser` benchmark: the engine's training step (bench/engineStep.ts) on
// Chromium's wasm backend, on the page's main thread (the app runs the same code in its worker).
// `?threads=N` (N >= 2) starts tfjs-wasm's threaded build with a pool of N threads first; that
// needs a cross-origin isolated page (bench/browser.ts serves it with COOP/COEP). tfjs caps its pool
// at half of navigator.hardwareConcurrency (tfjs-backend-wasm src/cc/backend.cc
// `init_with_threads_count`, assuming 2 hyper-threads per core), so on this 2-core machine it would
// run 1 thread whatever setThreadsCount asks: the page reports 2N logical cores to it.
// Served by `vite preview` from bench/browser.ts; results land in window.__benchResult.
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { ShapeName } from '../common';
import { engineStepTimes, type StepCase } from '../engineStep';

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

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

/** Starts wasm with the requested pool; engineStepTimes' own setBackend then reuses it. */
async function startWasm(): Promise<number> {
  const multi = threads > 1;
  if (multi && !crossOriginIsolated) throw new Error('threads need a cross-origin isolated page (COOP/COEP)');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', multi);
  if (multi) {
    // Read by the wasm module when it is instantiated (inside setBackend), on this thread.
    Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { configurable: true, get: () => 2 * threads });
    setThreadsCount(threads);
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs-wasm did not initialise');
  await tf.ready();
  const got = getThreadsCount();
  if (got !== threads) throw new Error(`asked tfjs-wasm for ${threads} threads, it runs ${got}`);
  return got;
}

startWasm()
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
