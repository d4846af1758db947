// recharts is about a megabyte of the bundle and no chart is on the first screen: every plot loads
// on first use, so the page becomes interactive without it (issue #9, "page" figure), and is
// fetched once the page is idle, so a step's charts draw at once when it opens.
import { lazy } from 'react';

const load = {
  loss: () => import('./plots/LossPlot'),
  epoch: () => import('./plots/EpochPlot'),
  lr: () => import('./plots/LrPlot'),
  label: () => import('./plots/LabelPlot'),
  length: () => import('./plots/LengthPlot'),
  runs: () => import('./plots/RunsPlot'),
  embedding: () => import('./plots/EmbeddingPlot'),
};

export const LossPlot = lazy(() => load.loss().then((m) => ({ default: m.LossPlot })));
export const EpochPlot = lazy(() => load.epoch().then((m) => ({ default: m.EpochPlot })));
export const LrPlot = lazy(() => load.lr().then((m) => ({ default: m.LrPlot })));
export const LabelPlot = lazy(() => load.label().then((m) => ({ default: m.LabelPlot })));
export const LengthPlot = lazy(() => load.length().then((m) => ({ default: m.LengthPlot })));
export const RunsPlot = lazy(() => load.runs().then((m) => ({ default: m.RunsPlot })));
export const EmbeddingPlot = lazy(() => load.embedding().then((m) => ({ default: m.EmbeddingPlot })));

/** Fetches and evaluates every plot's chunk (the browser caches modules; lazy() reuses them). */
export function preloadPlots(): void {
  for (const f of Object.values(load)) void f().catch(() => undefined);
}
