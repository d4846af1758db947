import { TrainerClient } from '../train/client';

// One worker per page, created lazily so importing the store has no side effects.
let client: TrainerClient | null = null;
let pendingInit: ReturnType<TrainerClient['init']> | null = null;

export interface Trainer {
  on: TrainerClient['on'];
  send: TrainerClient['send'];
  init: TrainerClient['init'];
}

export function getTrainer(): Trainer {
  client ??= new TrainerClient();
  const c = client;
  return {
    on: (l) => c.on(l),
    send: (m, t) => c.send(m, t),
    // StrictMode mounts effects twice: share one init.
    init: (b, t) => (pendingInit ??= c.init(b, t)),
  };
}
