import { startTransition, useEffect, useRef, useState } from 'react';

/**
 * `value`, passed on at most once every `intervalMs` (the latest one always arrives). Each update
 * is a transition, so React renders it in slices it can interrupt: the live charts re-render once
 * a second in the background instead of on every store update (~10 a second while training), which
 * kept the main thread busy for 50 to 170 ms at a time (tests/e2e/responsiveness.spec.ts).
 */
export function useThrottledValue<T>(value: T, intervalMs: number): T {
  const [shown, setShown] = useState(value);
  const lastAt = useRef(0);
  useEffect(() => {
    const wait = Math.max(0, lastAt.current + intervalMs - performance.now());
    const t = setTimeout(() => {
      lastAt.current = performance.now();
      startTransition(() => setShown(value));
    }, wait);
    return () => clearTimeout(t);
  }, [value, intervalMs]);
  return shown;
}
