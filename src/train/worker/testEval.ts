// The held-out test set, evaluated once after training with the weights training ended with (the
// best epoch's when there was validation). Multi-label decisions use the threshold tuned on the
// validation rows, never one tuned on the test rows, so the test report stays an honest estimate.
import type { Example } from '../batches';
import type { SequenceClassifier } from '../classifier';
import { metricsFromLogits, predictLogits } from '../evaluate';
import { DEFAULT_THRESHOLD, sigmoidProbabilities, thresholdMetrics } from '../multiLabel';
import type { EvalReport } from '../protocol';
import { toReport } from './report';

export interface TestEvalOptions {
  labels: readonly string[];
  padId: number;
  multiLabel: boolean;
  /** Multi-label: the validation-tuned threshold (default 0.5 when there was no validation). */
  threshold?: number;
}

export async function evaluateTestSet(
  model: SequenceClassifier,
  test: readonly Example[],
  o: TestEvalOptions,
): Promise<EvalReport | null> {
  if (test.length === 0) return null;
  const L = o.labels.length;
  const logits = await predictLogits(model, test, { batchSize: 64, padId: o.padId });
  const m = metricsFromLogits(logits, test, L, o.multiLabel);
  if (!o.multiLabel) return toReport(m, [...o.labels]);
  const threshold = o.threshold ?? DEFAULT_THRESHOLD;
  const yTrue = test.map((e) => Array.from({ length: L }, (_, c) => Number((e.label as ArrayLike<number>)[c] ?? 0)));
  const t = thresholdMetrics(sigmoidProbabilities(logits), yTrue, L, new Array<number>(L).fill(threshold));
  const report = toReport({ ...t, ...(m.loss !== undefined ? { loss: m.loss } : {}) }, [...o.labels]);
  return {
    ...report,
    kind: 'multi-label',
    extra: { threshold, micro_f1: t.microF1, macro_f1: t.macroF1, subset_accuracy: t.subsetAccuracy },
  };
}
