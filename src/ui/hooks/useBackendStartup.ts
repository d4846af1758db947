import { useEffect } from 'react';
import { useStudio } from '../../store';

/** Starts the trainer worker once; `?backend=` in the URL forces a backend. */
export function useBackendStartup(): void {
  const start = useStudio((s) => s.startEngine);
  useEffect(() => {
    const params = new URLSearchParams(globalThis.location.search);
    void start(params.get('backend'), params.get('threads') === '1');
  }, [start]);
}
