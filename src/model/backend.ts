// The one place that picks a tfjs backend. Order: webgpu → webgl → wasm → cpu; the first that
// initialises wins, and every skipped one carries the reason so the page can say why.
import * as tf from '@tensorflow/tfjs';

import { BACKEND_ORDER, type BackendName, type SkippedBackend } from '../lib/backends';

export { BACKEND_ORDER, isBackendName, type BackendName, type SkippedBackend } from '../lib/backends';

export interface BackendChoice {
  backend: BackendName;
  skipped: SkippedBackend[];
  /** Extra facts worth showing (e.g. WASM threads on/off and why). */
  notes: string[];
}

export interface BackendOptions {
  /** Force one backend (from `?backend=`); falls back down the order only if it fails. */
  preferred?: BackendName;
  /** URLs of the tfjs .wasm binaries, served locally (no CDN). */
  wasmPaths?: Record<string, string>;
  /**
   * Multi-threaded WASM: true/false force it (`?threads=1/0`); undefined decides from the
   * machine (see planWasmThreads). Threads always need cross-origin isolation.
   */
  wasmThreads?: boolean;
}

export interface WasmThreadsPlan {
  threads: boolean;
  /**
   * Pool size to ask tfjs for, or null for its own choice (half the logical cores, capped at 8).
   * On 2-3 cores that choice is 1 thread, so a requested threaded start asks for 2 there.
   */
  pool: number | null;
  why: string;
}

/**
 * Threads need SharedArrayBuffer, i.e. a cross-origin isolated page, and pay off from 2 cores.
 * tfjs sizes its pool at half the logical cores (tfjs-backend-wasm src/cc/backend.cc, for
 * hyper-threading), which is 1 thread on 2-3 cores: there the studio asks for 2. Measured in
 * Chromium on a 2-core machine with nothing else running (bench/RESULTS.md), a 2-thread pool made
 * a training step 1.07-1.4x faster (BERT-Tiny, BERT-Mini); when other jobs keep both cores busy it
 * is slower (every XNNPACK operator ends in a barrier that waits for a descheduled thread), which
 * is what `?threads=0` is for.
 */
export function planWasmThreads(requested: boolean | undefined, isolated: boolean, cores: number): WasmThreadsPlan {
  if (!isolated) {
    const asked = requested === true ? 'threads=1 was requested but ' : '';
    return { threads: false, pool: null, why: `${asked}the page is not cross-origin isolated (no SharedArrayBuffer)` };
  }
  if (requested === false) return { threads: false, pool: null, why: 'threads=0 in the URL' };
  const pool = cores >= 2 && cores < TFJS_MIN_CORES_FOR_2_THREADS ? 2 : null;
  if (requested === true) return { threads: true, pool, why: 'threads=1 in the URL' };
  return cores >= 2
    ? { threads: true, pool, why: `${cores} cores` }
    : { threads: false, pool: null, why: '1 core: nothing to share the work with; ?threads=1 forces threads' };
}

/** tfjs halves the core count for its pool: 4 cores are the fewest that give 2 threads on their own. */
const TFJS_MIN_CORES_FOR_2_THREADS = 4;

export async function selectBackend(opts: BackendOptions = {}): Promise<BackendChoice> {
  const order = opts.preferred
    ? [opts.preferred, ...BACKEND_ORDER.filter((b) => b !== opts.preferred)]
    : [...BACKEND_ORDER];
  const skipped: SkippedBackend[] = [];
  const notes: string[] = [];
  for (const name of order) {
    const why = await tryBackend(name, opts, notes);
    if (why === null) {
      if (opts.preferred && name !== opts.preferred) notes.push(`${opts.preferred} was requested but failed`);
      return { backend: name, skipped, notes };
    }
    skipped.push({ name, reason: why });
  }
  throw new Error(`no tfjs backend initialised: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

/** Returns null when the backend is active, else why it was skipped. */
async function tryBackend(name: BackendName, opts: BackendOptions, notes: string[]): Promise<string | null> {
  try {
    switch (name) {
      case 'webgpu': {
        const gpu = (globalThis.navigator as (Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }) | undefined)
          ?.gpu;
        if (!gpu) return 'navigator.gpu is not available in this browser';
        const adapter = await gpu.requestAdapter();
        if (!adapter) return 'no WebGPU adapter (requestAdapter returned null)';
        await import('@tensorflow/tfjs-backend-webgpu');
        break;
      }
      case 'webgl':
        if (typeof OffscreenCanvas === 'undefined' && typeof document === 'undefined') {
          return 'no OffscreenCanvas or document to create a WebGL context';
        }
        break;
      case 'wasm':
        return await startWasm(opts, notes);
      case 'cpu':
        break;
    }
    return await activate(name);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

async function activate(name: BackendName): Promise<string | null> {
  // setBackend returns false (instead of throwing) when initialisation fails, e.g. webgpu
  // without an adapter: always check it.
  const ok = await tf.setBackend(name);
  if (!ok) return `tf.setBackend('${name}') returned false`;
  await tf.ready();
  if (tf.getBackend() !== name) return `tfjs ended up on ${tf.getBackend()}`;
  return null;
}

/** A threaded start that has not finished by then counts as failed (pthread workers load in ~1 s). */
const THREADS_START_TIMEOUT_MS = 20_000;

async function startWasm(opts: BackendOptions, notes: string[]): Promise<string | null> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (opts.wasmPaths) wasm.setWasmPaths(opts.wasmPaths);
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  const cores = g.navigator?.hardwareConcurrency ?? 1;
  const plan = planWasmThreads(opts.wasmThreads, g.crossOriginIsolated === true, cores);
  if (plan.threads) {
    // Kept before the attempt: a failed start leaves the engine without the wasm factory.
    const factory = tf.findBackendFactory('wasm');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    if (plan.pool !== null) wasm.setThreadsCount(plan.pool);
    const failure = (await withReportedCores(plan.pool, startThreaded)) ?? smokeMatMul();
    if (failure === null) {
      notes.push(await describeThreads(wasm.getThreadsCount(), plan.why, cores));
      return null;
    }
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', factory, WASM_PRIORITY);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    const why = await activate('wasm');
    if (why === null) notes.push(`WASM single-threaded: threads failed to start (${failure})`);
    return why;
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const why = await activate('wasm');
  if (why === null) notes.push(`WASM single-threaded (${plan.why})`);
  return why;
}

async function describeThreads(count: number, why: string, cores: number): Promise<string> {
  if (count > 1) return `WASM threads on: ${count} threads (${why})`;
  if (!(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))) {
    return `WASM single-threaded: no WASM SIMD here, which tfjs's threaded build needs (${why})`;
  }
  // tfjs-backend-wasm src/cc/backend.cc caps its pool at half the logical cores (for hyper-threading).
  return `WASM threads on, but 1 thread: tfjs uses half of the ${cores} logical cores (${why})`;
}

/**
 * tfjs-wasm caps the pool at half of navigator.hardwareConcurrency, read (through Emscripten) while
 * the module starts; to get `pool` threads it is shown 2x that many cores for the start only.
 */
export async function withReportedCores<R>(pool: number | null, start: () => Promise<R>): Promise<R> {
  const nav = (globalThis as { navigator?: object }).navigator;
  if (pool === null || !nav) return start();
  Object.defineProperty(nav, 'hardwareConcurrency', { configurable: true, get: () => 2 * pool });
  try {
    return await start();
  } finally {
    // The own property shadowed the prototype's getter; removing it brings the real count back.
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/** A small matmul on the threaded backend, checked exactly (all ones: every entry is n); null when right. */
function smokeMatMul(): string | null {
  const n = 128;
  try {
    const got = tf.tidy(
      () =>
        tf
          .matMul(tf.ones([n, n]), tf.ones([n, n]))
          .sum()
          .dataSync()[0],
    );
    return got === n * n * n ? null : `a ${n}x${n} matmul gave ${got} instead of ${n * n * n}`;
  } catch (err) {
    return `a ${n}x${n} matmul failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** tfjs-backend-wasm registers itself with this priority (base.ts). */
const WASM_PRIORITY = 2;

/**
 * Starts threaded WASM; null on success, else why it failed. A pthread worker that dies while
 * loading never answers, so Emscripten waits forever and rethrows the worker's ErrorEvent from
 * its onerror: catch those (and stop them reaching the page as a crash of this worker) and give up.
 */
async function startThreaded(): Promise<string | null> {
  swallowPthreadErrors();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const failed = new Promise<string>((resolve) => {
    pthreadFailure = resolve;
    timer = setTimeout(
      () => resolve(`no answer from the pthread workers within ${THREADS_START_TIMEOUT_MS / 1000} s`),
      THREADS_START_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([activate('wasm'), failed]);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    clearTimeout(timer);
    pthreadFailure = null;
  }
}

let pthreadFailure: ((why: string) => void) | null = null;
let swallowing = false;

/**
 * A failed pthread worker's error reaches this scope twice: propagated from the nested Worker
 * (its filename is the pthread script: a blob: URL or the threaded glue) and rethrown by
 * Emscripten's onerror as an ErrorEvent value. Only those are cancelled, which also keeps them
 * from reaching the page as a crash of this worker. Once threads failed, the rest of the pool
 * fails the same way after the fallback has started, so the listener stays.
 */
function swallowPthreadErrors(): void {
  if (swallowing || typeof globalThis.addEventListener !== 'function' || typeof ErrorEvent === 'undefined') return;
  swallowing = true;
  globalThis.addEventListener('error', (ev: ErrorEvent) => {
    const fromPthread = /^blob:|tfjs-backend-wasm-threaded-simd/.test(ev.filename ?? '');
    if (!fromPthread && !(ev.error instanceof ErrorEvent)) return;
    ev.preventDefault();
    const message = ev.error instanceof ErrorEvent ? ev.error.message : ev.message;
    pthreadFailure?.(`a pthread worker failed: ${message || 'unknown error'}`);
  });
}
