// Main-thread side of the trainer: hides postMessage behind a typed API. Never imports tfjs.
import type { BackendName, FromWorker, ReadyEvent, ToWorker } from './protocol';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

type Listener = (msg: FromWorker) => void;

/** The .wasm binaries are bundled and served by the app itself: no CDN. */
function wasmPaths(): Record<string, string> {
  const abs = (u: string) => new URL(u, globalThis.location.href).href;
  return {
    'tfjs-backend-wasm.wasm': abs(wasmUrl),
    'tfjs-backend-wasm-simd.wasm': abs(wasmSimdUrl),
    'tfjs-backend-wasm-threaded-simd.wasm': abs(wasmThreadedUrl),
  };
}

export class TrainerClient {
  private worker: Worker;
  private listeners = new Set<Listener>();

  constructor() {
    this.worker = new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (ev: MessageEvent<FromWorker>) => this.listeners.forEach((l) => l(ev.data));
    this.worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      const message = ev.message || 'the trainer worker crashed';
      this.listeners.forEach((l) => l({ type: 'error', message }));
    };
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends one typed request; replies arrive through `on`. */
  send(msg: ToWorker, transfer: Transferable[] = []): void {
    this.worker.postMessage(msg, transfer);
  }

  /** Starts tfjs in the worker; resolves with the backend it got and why others were skipped. */
  init(backend?: BackendName, wasmThreads = false): Promise<ReadyEvent> {
    return new Promise((resolve, reject) => {
      const off = this.on((m) => {
        if (m.type === 'ready') {
          off();
          resolve(m);
        } else if (m.type === 'error' && (m.during === 'init' || m.during === undefined)) {
          off();
          reject(new Error(m.message));
        }
      });
      this.send({ type: 'init', ...(backend ? { backend } : {}), wasmPaths: wasmPaths(), wasmThreads });
    });
  }

  terminate(): void {
    this.worker.terminate();
  }
}
