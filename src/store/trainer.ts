import { TrainerClient } from '../train/client';

// One worker per page, created lazily so tests and SSR-less tooling can import the store.
let client: TrainerClient | null = null;
let pendingInit: ReturnType<TrainerClient['init']> | null = null;

export function getTrainer(): Pick<TrainerClient, 'on'> & { init: TrainerClient['init'] } {
  client ??= new TrainerClient();
  const c = client;
  return {
    on: (l) => c.on(l),
    // StrictMode mounts effects twice: share one init.
    init: (b, t) => (pendingInit ??= c.init(b, t)),
  };
}
