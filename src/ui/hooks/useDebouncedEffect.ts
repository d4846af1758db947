import { useEffect, useRef } from 'react';

/** Runs `effect` once `deps` have stopped changing for `delayMs` (typing in the Try box). */
export function useDebouncedEffect(effect: () => void, deps: readonly unknown[], delayMs: number): void {
  const latest = useRef(effect);
  useEffect(() => {
    latest.current = effect;
  });
  useEffect(() => {
    const t = setTimeout(() => latest.current(), delayMs);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps are the trigger
  }, [...deps, delayMs]);
}
