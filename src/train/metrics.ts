// Classification metrics in plain TypeScript, with sklearn semantics: classification_report /
// precision_recall_fscore_support (zero_division=0, labels = every class id, so a class with no
// true or predicted rows still counts in the macro average), confusion_matrix (rows = true,
// columns = predicted), f1_score(average='micro'|'macro') and accuracy_score for multi-label
// indicator arrays (subset accuracy).

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Averages {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationMetrics {
  kind: 'single-label';
  accuracy: number;
  perClass: ClassScores[];
  macro: Averages;
  weighted: Averages;
  /** confusion[true][pred] */
  confusion: number[][];
  /** Mean loss over the evaluated rows, when the caller measured it. */
  loss?: number;
}

export interface MultiLabelMetrics {
  kind: 'multi-label';
  subsetAccuracy: number;
  microF1: number;
  macroF1: number;
  perClass: ClassScores[];
  loss?: number;
}

export type Metrics = ClassificationMetrics | MultiLabelMetrics;

const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den); // zero_division=0

function scores(tp: number, fp: number, fn: number): ClassScores {
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return { precision, recall, f1: ratio(2 * tp, 2 * tp + fp + fn), support: tp + fn };
}

export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, numClasses: number): number[][] {
  if (yTrue.length !== yPred.length) throw new Error(`${yTrue.length} true labels but ${yPred.length} predictions`);
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!;
    const p = yPred[i]!;
    if (!(t >= 0 && t < numClasses && p >= 0 && p < numClasses))
      throw new Error(`label ${t} or prediction ${p} at row ${i} is outside [0, ${numClasses})`);
    m[t]![p]! += 1;
  }
  return m;
}

function averages(perClass: ClassScores[]): { macro: Averages; weighted: Averages } {
  const n = perClass.length;
  const total = perClass.reduce((s, c) => s + c.support, 0);
  const mean = (k: keyof Averages): number =>
    ratio(
      perClass.reduce((s, c) => s + c[k], 0),
      n,
    );
  const wmean = (k: keyof Averages): number =>
    ratio(
      perClass.reduce((s, c) => s + c[k] * c.support, 0),
      total,
    );
  return {
    macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') },
    weighted: { precision: wmean('precision'), recall: wmean('recall'), f1: wmean('f1') },
  };
}

export function classificationMetrics(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  numClasses: number,
): ClassificationMetrics {
  const confusion = confusionMatrix(yTrue, yPred, numClasses);
  const perClass: ClassScores[] = [];
  let correct = 0;
  for (let c = 0; c < numClasses; c++) {
    const tp = confusion[c]![c]!;
    correct += tp;
    const fn = confusion[c]!.reduce((a, b) => a + b, 0) - tp;
    const fp = confusion.reduce((a, row) => a + row[c]!, 0) - tp;
    perClass.push(scores(tp, fp, fn));
  }
  return { kind: 'single-label', accuracy: ratio(correct, yTrue.length), perClass, confusion, ...averages(perClass) };
}

/** yTrue / yPred: rows of 0/1 indicators, [N][C]. */
export function multiLabelMetrics(
  yTrue: ArrayLike<number>[],
  yPred: ArrayLike<number>[],
  numClasses: number,
): MultiLabelMetrics {
  if (yTrue.length !== yPred.length) throw new Error(`${yTrue.length} true rows but ${yPred.length} predicted rows`);
  const tp = new Array<number>(numClasses).fill(0);
  const fp = new Array<number>(numClasses).fill(0);
  const fn = new Array<number>(numClasses).fill(0);
  let exact = 0;
  yTrue.forEach((t, i) => {
    const p = yPred[i]!;
    let same = true;
    for (let c = 0; c < numClasses; c++) {
      const a = t[c]! > 0.5;
      const b = p[c]! > 0.5;
      if (a !== b) same = false;
      if (a && b) tp[c]! += 1;
      else if (b) fp[c]! += 1;
      else if (a) fn[c]! += 1;
    }
    if (same) exact += 1;
  });
  const perClass = tp.map((x, c) => scores(x, fp[c]!, fn[c]!));
  const sum = (a: number[]): number => a.reduce((s, x) => s + x, 0);
  return {
    kind: 'multi-label',
    subsetAccuracy: ratio(exact, yTrue.length),
    microF1: ratio(2 * sum(tp), 2 * sum(tp) + sum(fp) + sum(fn)),
    macroF1: ratio(sum(perClass.map((c) => c.f1)), numClasses),
    perClass,
  };
}

/** Index of the largest value in each row of a row-major [N, C] buffer. */
export function argmaxRows(values: ArrayLike<number>, numClasses: number): Int32Array {
  const n = Math.floor(values.length / numClasses);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (values[i * numClasses + c]! > values[i * numClasses + best]!) best = c;
    out[i] = best;
  }
  return out;
}

/** The value a "keep the best weights" rule compares; higher is better except for loss. */
export type BestMetric = 'loss' | 'accuracy' | 'macro_f1' | 'weighted_f1' | 'micro_f1' | `f1:${number}`;

export function metricValue(m: Metrics, key: BestMetric): number {
  if (key === 'loss') return m.loss ?? Number.NaN;
  if (key.startsWith('f1:')) return m.perClass[Number(key.slice(3))]?.f1 ?? Number.NaN;
  if (m.kind === 'multi-label') {
    if (key === 'accuracy') return m.subsetAccuracy;
    return key === 'micro_f1' ? m.microF1 : m.macroF1;
  }
  if (key === 'accuracy' || key === 'micro_f1') return m.accuracy; // micro F1 = accuracy for single-label
  return key === 'macro_f1' ? m.macro.f1 : m.weighted.f1;
}

export function higherIsBetter(key: BestMetric): boolean {
  return key !== 'loss';
}
