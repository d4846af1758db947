// Dataset statistics: label distribution, token-length percentiles and a suggested max_length.
// Token counting is passed in so this folder never imports the tokenizer.
import { makeWarning, type DataWarning } from './errors';
import type { DatasetRows } from './check';
import { labelSetFromLists, labelCounts } from './labels';

export type CountTokens = (text: string, pair?: string) => number;

export interface TokenLengthStats {
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  /** bins [edges[i], edges[i+1]) ; the last bin includes max. */
  histogram: { edges: number[]; counts: number[] };
  /** Covers >= 95% of rows, a multiple of 8, at most maxPositions. */
  suggestedMaxLength: number;
  /** Rows longer than suggestedMaxLength (they will be truncated). */
  truncatedRows: number;
}

export interface DatasetStats {
  rows: number;
  labels?: Record<string, number>;
  tokenLengths?: TokenLengthStats;
  warnings: DataWarning[];
}

const HIST_BINS = 20;

/** Nearest-rank percentile of an ascending array: the smallest value with >= p% of rows at or below it. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function tokenLengthStats(lengths: number[], maxPositions = 512): TokenLengthStats {
  const sorted = Float64Array.from(lengths).sort();
  const max = sorted.length ? sorted[sorted.length - 1]! : 0;
  const width = Math.max(8, Math.ceil(max / HIST_BINS / 8) * 8);
  const bins = Math.max(1, Math.ceil((max + 1) / width));
  const counts = new Array<number>(bins).fill(0);
  for (const l of lengths) counts[Math.min(bins - 1, Math.floor(l / width))]!++;
  const p95 = percentile(sorted, 95);
  const suggested = Math.min(maxPositions, Math.max(8, Math.ceil(p95 / 8) * 8));
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95,
    p99: percentile(sorted, 99),
    max,
    mean: lengths.length ? lengths.reduce((s, x) => s + x, 0) / lengths.length : 0,
    histogram: { edges: Array.from({ length: bins + 1 }, (_, i) => i * width), counts },
    suggestedMaxLength: suggested,
    truncatedRows: lengths.filter((l) => l > suggested).length,
  };
}

/** Warns when the smallest class is under 20% of rows or the largest is over 3x the smallest. */
export function classImbalance(counts: Record<string, number>): DataWarning | null {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  if (entries.length < 2) return null;
  const total = entries.reduce((s, [, n]) => s + n, 0);
  const [minName, min] = entries.reduce((a, b) => (b[1] < a[1] ? b : a));
  const [maxName, max] = entries.reduce((a, b) => (b[1] > a[1] ? b : a));
  const share = min / total;
  if (share >= 0.2 && max / min <= 3) return null;
  // "balanced" weights, as scikit-learn's compute_class_weight: n / (k * n_c)
  const weights = entries.map(([l, n]) => `${l}: ${(total / (entries.length * n)).toFixed(2)}`).join(', ');
  return makeWarning(
    'class-imbalance',
    `Classes are imbalanced: "${minName}" is ${(100 * share).toFixed(1)}% of rows and "${maxName}" has ${(max / min).toFixed(1)}x as many. Accuracy will look good even for a model that ignores "${minName}"; watch per-class F1 and consider class weights (${weights}).`,
    [],
    min,
  );
}

export function datasetStats(
  data: DatasetRows,
  opts: { countTokens?: CountTokens; maxPositions?: number; multiLabel?: boolean } = {},
): DatasetStats {
  const out: DatasetStats = { rows: data.texts.length, warnings: [] };
  if (data.labels) {
    out.labels = labelCounts(labelSetFromLists(data.labels, { multiLabel: opts.multiLabel ?? false }));
    const w = opts.multiLabel ? null : classImbalance(out.labels);
    if (w) out.warnings.push(w);
  }
  if (opts.countTokens) {
    const count = opts.countTokens;
    const lengths = data.texts.map((t, i) => (data.pairs ? count(t, data.pairs[i]) : count(t)));
    out.tokenLengths = tokenLengthStats(lengths, opts.maxPositions);
  }
  return out;
}
