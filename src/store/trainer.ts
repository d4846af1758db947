import type { BackendName } from '../train/protocol';
import { TrainerClient } from '../train/client';

// One worker per page, created lazily so importing the store has no side effects.
let client: TrainerClient | null = null;
let pendingInit: ReturnType<TrainerClient['init']> | null = null;
let lastThreads: boolean | undefined;
let override: Trainer | null = null;

export interface Trainer {
  on: TrainerClient['on'];
  send: TrainerClient['send'];
  init: TrainerClient['init'];
  /** A fresh worker (the old one crashed, hung or lost its GPU), started on `backend`. */
  restart?: (backend?: BackendName) => ReturnType<TrainerClient['init']>;
}

export function getTrainer(): Trainer {
  if (override) return override;
  client ??= new TrainerClient();
  const c = client;
  return {
    on: (l) => c.on(l),
    send: (m, t) => c.send(m, t),
    // StrictMode mounts effects twice: share one init.
    init: (b, t) => {
      lastThreads = t;
      return (pendingInit ??= c.init(b, t));
    },
    restart: (b) => {
      c.restart();
      return (pendingInit = c.init(b, lastThreads));
    },
  };
}

/** Replaces the worker with another implementation (Node tests of the store's event handling). */
export function setTrainer(trainer: Trainer | null): void {
  override = trainer;
}
