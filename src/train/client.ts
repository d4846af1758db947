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

/** The part of Worker the client uses (a fake in Node tests). */
export type WorkerLike = Pick<Worker, 'postMessage' | 'terminate' | 'onmessage' | 'onerror'>;

export interface ClientOptions {
  makeWorker?: () => WorkerLike;
  /**
   * A training worker silent for this long (and for 4x its longest gap so far, since one step of
   * a big model on the CPU can block it for minutes) counts as dead. The worker beats every 2 s.
   */
  silenceMs?: number;
  now?: () => number;
}

const defaultWorker = (): WorkerLike => new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module' });

export class TrainerClient {
  private worker: WorkerLike;
  private listeners = new Set<Listener>();
  private training = false;
  private lastHeard = 0;
  private longestGap = 0;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private readonly now: () => number;

  constructor(private readonly options: ClientOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    this.worker = this.spawn();
  }

  private spawn(): WorkerLike {
    const w = (this.options.makeWorker ?? defaultWorker)();
    w.onmessage = (ev: MessageEvent<FromWorker>) => {
      if (w !== this.worker) return;
      this.heard(ev.data);
      if (ev.data.type !== 'heartbeat') this.emit(ev.data);
    };
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      if (w !== this.worker) return;
      // A script error carries a message; a worker that died (or never loaded) does not.
      if (ev.message) this.emit({ type: 'error', message: ev.message });
      else this.lost('crashed', 'the trainer worker crashed');
    };
    return w;
  }

  private emit(msg: FromWorker): void {
    this.listeners.forEach((l) => l(msg));
  }

  private heard(msg: FromWorker): void {
    const t = this.now();
    if (this.training) this.longestGap = Math.max(this.longestGap, t - this.lastHeard);
    this.lastHeard = t;
    if (msg.type === 'done' || (msg.type === 'error' && msg.during === 'train')) this.setTraining(false);
  }

  private setTraining(on: boolean): void {
    this.training = on;
    this.longestGap = 0;
    this.lastHeard = this.now();
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.watchdog = on ? setInterval(() => this.checkSilence(), 1000) : null;
  }

  private checkSilence(): void {
    const limit = Math.max(this.options.silenceMs ?? 120_000, 4 * this.longestGap);
    const silent = this.now() - this.lastHeard;
    if (silent > limit)
      this.lost(
        'unresponsive',
        `the trainer worker stopped answering during training (silent for ${Math.round(silent / 1000)} s)`,
      );
  }

  private lost(reason: 'crashed' | 'unresponsive', message: string): void {
    this.setTraining(false);
    this.emit({ type: 'workerLost', reason, message });
  }

  /** Replaces the worker with a fresh one (listeners stay); call init() next. */
  restart(): void {
    this.setTraining(false);
    this.worker.terminate();
    this.worker = this.spawn();
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends one typed request; replies arrive through `on`. */
  send(msg: ToWorker, transfer: Transferable[] = []): void {
    if (msg.type === 'train') this.setTraining(true);
    this.worker.postMessage(msg, transfer);
  }

  /**
   * Starts tfjs in the worker; resolves with the backend it got and why others were skipped.
   * `wasmThreads` forces WASM threads on/off; undefined lets the worker decide from the machine.
   */
  init(backend?: BackendName, wasmThreads?: boolean): Promise<ReadyEvent> {
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
      this.send({
        type: 'init',
        ...(backend ? { backend } : {}),
        wasmPaths: wasmPaths(),
        ...(wasmThreads === undefined ? {} : { wasmThreads }),
      });
    });
  }

  terminate(): void {
    this.setTraining(false);
    this.worker.terminate();
  }
}
