// recharts is about a megabyte of the bundle and no chart is on the first screen: every plot loads
// on first use, so the page becomes interactive without it (issue #9, "page" figure).
import { lazy } from 'react';

export const LossPlot = lazy(() => import('./plots/LossPlot').then((m) => ({ default: m.LossPlot })));
export const EpochPlot = lazy(() => import('./plots/EpochPlot').then((m) => ({ default: m.EpochPlot })));
export const LrPlot = lazy(() => import('./plots/LrPlot').then((m) => ({ default: m.LrPlot })));
export const LabelPlot = lazy(() => import('./plots/LabelPlot').then((m) => ({ default: m.LabelPlot })));
export const LengthPlot = lazy(() => import('./plots/LengthPlot').then((m) => ({ default: m.LengthPlot })));
export const RunsPlot = lazy(() => import('./plots/RunsPlot').then((m) => ({ default: m.RunsPlot })));
export const EmbeddingPlot = lazy(() => import('./plots/EmbeddingPlot').then((m) => ({ default: m.EmbeddingPlot })));
