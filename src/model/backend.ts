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
  /** Allow multi-threaded WASM (needs cross-origin isolation). */
  wasmThreads?: boolean;
}

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
      case 'wasm': {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        if (opts.wasmPaths) wasm.setWasmPaths(opts.wasmPaths);
        const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
        const threads = opts.wasmThreads === true && isolated;
        // Threaded WASM needs SharedArrayBuffer (cross-origin isolation); on ≤2 cores it gives
        // no gain (BROWSER.md), so the caller decides and we say which one runs.
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads);
        notes.push(
          threads
            ? 'WASM threads on'
            : `WASM single-threaded (${!isolated ? 'page is not cross-origin isolated' : 'threads not requested'})`,
        );
        break;
      }
      case 'cpu':
        break;
    }
    // setBackend returns false (instead of throwing) when initialisation fails, e.g. webgpu
    // without an adapter: always check it.
    const ok = await tf.setBackend(name);
    if (!ok) return `tf.setBackend('${name}') returned false`;
    await tf.ready();
    if (tf.getBackend() !== name) return `tfjs ended up on ${tf.getBackend()}`;
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
