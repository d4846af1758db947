import { useEffect } from 'react';
import { preloadPlots } from '../charts/plots';

/** Delay after start-up before the chart chunk is fetched: first paint and the engine come first. */
const AFTER_START_MS = 2000;

/** Loads the charts' code once the page has settled, so opening a step with charts shows them at once. */
export function usePreloadCharts(): void {
  useEffect(() => {
    const t = setTimeout(() => {
      if (typeof requestIdleCallback === 'function') requestIdleCallback(() => preloadPlots(), { timeout: 5000 });
      else preloadPlots();
    }, AFTER_START_MS);
    return () => clearTimeout(t);
  }, []);
}
