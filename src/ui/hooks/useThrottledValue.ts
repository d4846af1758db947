import { startTransition, useEffect, useState } from 'react';

/**
 * `value`, passed on at most once every `intervalMs`, on a fixed beat shifted by `phaseMs` (the
 * latest value always arrives; undefined until the first beat). The live charts each take their
 * own phase, so each redraws in its own task: drawn together, three recharts charts kept the main
 * thread busy for 50 to 200 ms at a time (tests/e2e/responsiveness.spec.ts). Each update is a
 * transition, so React can interrupt the render part of it.
 */
export function useThrottledValue<T>(value: T, intervalMs: number, phaseMs = 0): T | undefined {
  const [shown, setShown] = useState<{ v: T } | undefined>(undefined);
  useEffect(() => {
    const now = performance.now();
    const wait = intervalMs - ((((now - phaseMs) % intervalMs) + intervalMs) % intervalMs);
    const t = setTimeout(() => startTransition(() => setShown({ v: value })), wait);
    return () => clearTimeout(t);
  }, [value, intervalMs, phaseMs]);
  return shown?.v;
}
