// Browser side of the `browser` benchmark: the engine's training step (bench/engineStep.ts) on
// Chromium's wasm backend, on the page's main thread (the app runs the same code in its worker).
// Served by Vite's dev server from bench/browser.ts; results land in window.__benchResult.
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { engineStepTimes, type StepCase } from '../engineStep';

declare global {
  interface Window {
    __benchResult?: { times: number[]; case: StepCase } | { error: string };
  }
}

const params = new URLSearchParams(location.search);
const c: StepCase = {
  shape: 'tiny',
  backend: 'wasm',
  batch: Number(params.get('batch') ?? 32),
  seq: Number(params.get('seq') ?? 128),
  warmup: Number(params.get('warmup') ?? 2),
  steps: Number(params.get('steps') ?? 5),
};
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});
engineStepTimes(c).then(
  (t) => {
    window.__benchResult = { times: t.wall, case: c };
    document.getElementById('status')!.textContent = 'done';
  },
  (err: unknown) => {
    window.__benchResult = { error: err instanceof Error ? err.message : String(err) };
  },
);
