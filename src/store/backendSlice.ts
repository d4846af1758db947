import { isBackendName, type BackendName, type SkippedBackend } from '../lib/backends';
import { getTrainer } from './trainer';
import type { SliceCreator } from './types';

export type BackendState =
  | { status: 'starting' }
  | { status: 'ready'; name: BackendName; skipped: SkippedBackend[]; notes: string[] }
  | { status: 'failed'; error: string };

export interface BackendSlice {
  backend: BackendState;
  /** `threads`: `?threads=1/0` forces WASM threads on/off; undefined lets the worker decide. */
  startEngine: (requested: string | null, threads: boolean | undefined) => Promise<void>;
}

export const createBackendSlice: SliceCreator<BackendSlice> = (set, get) => ({
  backend: { status: 'starting' },
  startEngine: async (requested, threads) => {
    if (get().backend.status === 'ready') return;
    try {
      const forced = isBackendName(requested) ? requested : undefined;
      const ready = await getTrainer().init(forced, threads);
      set({ backend: { status: 'ready', name: ready.backend, skipped: ready.skipped, notes: ready.notes } });
    } catch (err) {
      set({ backend: { status: 'failed', error: err instanceof Error ? err.message : String(err) } });
    }
  },
});
