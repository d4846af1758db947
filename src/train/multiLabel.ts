// Multi-label decisions: sigmoid probabilities, one threshold per label (default 0.5, as HF's
// multi_label_classification problem type implies), tuned on validation data by a grid search
// that maximises each label's own F1 (sklearn zero_division=0 semantics).
import { multiLabelMetrics, type MultiLabelMetrics } from './metrics';

export const DEFAULT_THRESHOLD = 0.5;
/** 0.05, 0.10, ..., 0.95: built from integers so every value is exactly the decimal it names. */
export const THRESHOLD_GRID: readonly number[] = Array.from({ length: 19 }, (_, i) => (5 * (i + 1)) / 100);

export const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** Element-wise sigmoid of logits [N * L]. */
export function sigmoidProbabilities(logits: ArrayLike<number>): Float32Array {
  return Float32Array.from({ length: logits.length }, (_, i) => sigmoid(logits[i]!));
}

function checkRows(probs: ArrayLike<number>, rows: number, numLabels: number): void {
  if (probs.length !== rows * numLabels)
    throw new Error(`${probs.length} probabilities for ${rows} rows x ${numLabels} labels`);
}

/** 0/1 rows [N][L]: label c is on when its probability is strictly above thresholds[c]. */
export function applyThresholds(
  probs: ArrayLike<number>,
  numLabels: number,
  thresholds: readonly number[],
): number[][] {
  if (thresholds.length !== numLabels) throw new Error(`${thresholds.length} thresholds for ${numLabels} labels`);
  const n = Math.floor(probs.length / numLabels);
  checkRows(probs, n, numLabels);
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: numLabels }, (_, c) => (probs[i * numLabels + c]! > thresholds[c]! ? 1 : 0)),
  );
}

function labelF1(
  probs: ArrayLike<number>,
  yTrue: readonly ArrayLike<number>[],
  L: number,
  c: number,
  t: number,
): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  yTrue.forEach((y, i) => {
    const pred = probs[i * L + c]! > t;
    const actual = y[c]! > 0.5;
    if (pred && actual) tp++;
    else if (pred) fp++;
    else if (actual) fn++;
  });
  const den = 2 * tp + fp + fn;
  return den === 0 ? 0 : (2 * tp) / den;
}

export interface TunedThresholds {
  thresholds: number[];
  /** Each label's F1 at its chosen threshold on the tuning rows. */
  f1: number[];
}

/**
 * Per label, the grid threshold with the highest F1 on (probs, yTrue); ties go to the value nearest
 * the default, so a label without positives (F1 = 0 everywhere) keeps 0.5.
 */
export function tuneThresholds(
  probs: ArrayLike<number>,
  yTrue: readonly ArrayLike<number>[],
  numLabels: number,
  grid: readonly number[] = THRESHOLD_GRID,
): TunedThresholds {
  checkRows(probs, yTrue.length, numLabels);
  if (grid.length === 0) throw new Error('empty threshold grid');
  const thresholds: number[] = [];
  const f1: number[] = [];
  for (let c = 0; c < numLabels; c++) {
    let best = DEFAULT_THRESHOLD;
    let bestF1 = labelF1(probs, yTrue, numLabels, c, best);
    for (const t of grid) {
      const v = labelF1(probs, yTrue, numLabels, c, t);
      const closer = Math.abs(t - DEFAULT_THRESHOLD) < Math.abs(best - DEFAULT_THRESHOLD);
      if (v > bestF1 || (v === bestF1 && closer)) {
        best = t;
        bestF1 = v;
      }
    }
    thresholds.push(best);
    f1.push(bestF1);
  }
  return { thresholds, f1 };
}

/** Subset accuracy, micro/macro F1 and per-label P/R/F1 at the given thresholds (default 0.5 each). */
export function thresholdMetrics(
  probs: ArrayLike<number>,
  yTrue: readonly ArrayLike<number>[],
  numLabels: number,
  thresholds: readonly number[] = new Array<number>(numLabels).fill(DEFAULT_THRESHOLD),
): MultiLabelMetrics {
  checkRows(probs, yTrue.length, numLabels);
  return multiLabelMetrics([...yTrue], applyThresholds(probs, numLabels, thresholds), numLabels);
}

/**
 * Per-label log-odds of the training labels' frequencies, for the classifier bias before training
 * (Lin et al. 2017, "Focal Loss", prior initialisation): starting at bias 0 means p = 0.5 for every
 * label, and AdamW moves a bias by about lr per step, so reaching a rare label's prior (about -4)
 * would take thousands of steps. Frequencies are clamped to [1/(N+2), 1 - 1/(N+2)] (add-one).
 */
export function priorLogOdds(labels: readonly ArrayLike<number>[], numLabels: number): Float32Array {
  const n = labels.length;
  const out = new Float32Array(numLabels);
  for (let c = 0; c < numLabels; c++) {
    let pos = 0;
    for (const y of labels) if (y[c]! > 0.5) pos++;
    const p = (pos + 1) / (n + 2);
    out[c] = Math.log(p / (1 - p));
  }
  return out;
}

/**
 * One threshold for every label, the grid value with the best micro-F1 on (probs, yTrue); ties go
 * to the value nearest the default. Per-label tuning overfits labels with few validation positives
 * (a rare label's best F1 often sits at 0.05, flooding micro-F1 with false positives); a shared
 * threshold is the usual choice when micro-F1 is the target.
 */
export function tuneGlobalThreshold(
  probs: ArrayLike<number>,
  yTrue: readonly ArrayLike<number>[],
  numLabels: number,
  grid: readonly number[] = THRESHOLD_GRID,
): { threshold: number; microF1: number } {
  checkRows(probs, yTrue.length, numLabels);
  const micro = (t: number): number =>
    thresholdMetrics(probs, yTrue, numLabels, new Array<number>(numLabels).fill(t)).microF1;
  let threshold = DEFAULT_THRESHOLD;
  let microF1 = micro(threshold);
  for (const t of grid) {
    const v = micro(t);
    if (v > microF1 || (v === microF1 && Math.abs(t - DEFAULT_THRESHOLD) < Math.abs(threshold - DEFAULT_THRESHOLD))) {
      threshold = t;
      microF1 = v;
    }
  }
  return { threshold, microF1 };
}
