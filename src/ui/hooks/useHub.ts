import { useMemo } from 'react';
import { hubBase } from '../hub';

/** The hub base URL for this page (`?hub=`, or the dev server's local hub). */
export function useHub(): string {
  return useMemo(() => hubBase(globalThis.location.search, globalThis.location.origin, import.meta.env.DEV), []);
}
