// Starts Chromium's wasm backend for the bench pages, single-threaded or with a pool of N threads
// (N >= 2 needs a cross-origin isolated page: bench/browser.ts serves them with COOP/COEP). tfjs
// caps its pool at half of navigator.hardwareConcurrency (tfjs-backend-wasm src/cc/backend.cc
// `init_with_threads_count`, assuming 2 hyper-threads per core), so on a 2-core machine it would
// run 1 thread whatever setThreadsCount asks: the page reports 2N logical cores to it, as the app
// does (src/model/backend.ts).
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerTrainingKernels } from '../../src/model';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

/** Starts wasm with `threads` threads (1 = the single-threaded build); returns what tfjs runs. */
export async function startBenchWasm(threads: number): Promise<number> {
  const multi = threads > 1;
  if (multi && !crossOriginIsolated) throw new Error('threads need a cross-origin isolated page (COOP/COEP)');
  registerTrainingKernels();
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
