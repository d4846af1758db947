import { useEffect, useState } from 'react';
import { parseLocalModels, servesLocalModels, type LocalModel } from '../hub';

/** Models the dev/preview server offers from disk; an empty list when it offers none. */
export function useLocalModels(hub: string): LocalModel[] {
  const [models, setModels] = useState<LocalModel[]>([]);
  useEffect(() => {
    if (!servesLocalModels(hub, globalThis.location.origin)) return;
    const ctrl = new AbortController();
    fetch(`${hub}/api/local-models`, { signal: ctrl.signal })
      .then((r) => (r.ok ? r.json() : []))
      .then((json: unknown) => setModels(parseLocalModels(json)))
      .catch(() => undefined); // no local models: the catalog and custom ids still work
    return () => ctrl.abort();
  }, [hub]);
  return models;
}
