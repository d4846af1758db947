// Starts Chromium's wasm backend for the bench pages, single-threaded or with a pool of N threads
// (N >= 2 needs a cross-origin isolated page: bench/browser.ts serves them with COOP/COEP). tfjs
// caps its pool at half of navigator.hardwareConcurrency (tfjs-backend-wasm src/cc/backend.cc
// `init_with_threads_count`, assuming 2 hyper-threads per core), so on a 2-core machine it would
// run 1 thread whatever setThreadsCount asks: the start sees 2N logical cores, through the app's
// own withReportedCores (src/model/backend.ts).
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerTrainingKernels } from '../../src/model';
import { withReportedCores } from '../../src/model/backend';

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
  if (multi) setThreadsCount(threads);
  const started = await withReportedCores(multi ? threads : null, () => tf.setBackend('wasm'));
  if (!started) throw new Error('tfjs-wasm did not initialise');
  await tf.ready();
  const got = getThreadsCount();
  if (got !== threads) throw new Error(`asked tfjs-wasm for ${threads} threads, it runs ${got}`);
  return got;
}
