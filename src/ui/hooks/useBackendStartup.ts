import { useEffect } from 'react';
import { connectStudio, useStudio, whenHydrated } from '../../store';

/**
 * Starts the trainer worker once (`?backend=` in the URL forces a backend, `?threads=1/0` WASM threads), listens to its events,
 * lists the saved models and resumable runs, and once the saved project is read back, re-parses the stored dataset file.
 */
export function useBackendStartup(): void {
  const start = useStudio((s) => s.startEngine);
  useEffect(() => {
    connectStudio();
    const params = new URLSearchParams(globalThis.location.search);
    const threads = params.get('threads');
    const wasmThreads = threads === '1' ? true : threads === '0' ? false : undefined;
    void Promise.all([start(params.get('backend'), wasmThreads), whenHydrated()]).then(() => {
      const s = useStudio.getState();
      if (s.backend.status !== 'ready') return;
      s.refreshLibrary();
      s.refreshCheckpoints();
      void s.restoreDataset();
    });
  }, [start]);
}
