import { useEffect } from 'react';
import { connectStudio, useStudio, whenHydrated } from '../../store';

/**
 * Starts the trainer worker once (`?backend=` in the URL forces a backend), listens to its events,
 * lists the saved models and resumable runs, and once the saved project is read back, re-parses the stored dataset file.
 */
export function useBackendStartup(): void {
  const start = useStudio((s) => s.startEngine);
  useEffect(() => {
    connectStudio();
    const params = new URLSearchParams(globalThis.location.search);
    void Promise.all([start(params.get('backend'), params.get('threads') === '1'), whenHydrated()]).then(() => {
      const s = useStudio.getState();
      if (s.backend.status !== 'ready') return;
      s.refreshLibrary();
      s.refreshCheckpoints();
      void s.restoreDataset();
    });
  }, [start]);
}
