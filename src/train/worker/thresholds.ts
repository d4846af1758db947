// Multi-label decisions after training: one threshold for every label, the grid value with the
// best micro-F1 on the validation rows (multiLabel.ts explains why not one per label), and the
// report at that threshold (io/export.ts writes it to config.json and reads it back).
import type { Example } from '../batches';
import { metricsFromLogits } from '../evaluate';
import { sigmoidProbabilities, thresholdMetrics, tuneGlobalThreshold } from '../multiLabel';
import type { EvalReport } from '../protocol';
import { toReport } from './report';

function targets(examples: readonly Example[], numLabels: number): number[][] {
  return examples.map((e) =>
    Array.from({ length: numLabels }, (_, c) => Number((e.label as ArrayLike<number>)[c] ?? 0)),
  );
}

export function tuneMultiLabel(
  logits: Float32Array,
  valid: readonly Example[],
  labels: readonly string[],
): { threshold: number; report: EvalReport } {
  const L = labels.length;
  const probs = sigmoidProbabilities(logits);
  const yTrue = targets(valid, L);
  const { threshold } = tuneGlobalThreshold(probs, yTrue, L);
  const m = thresholdMetrics(probs, yTrue, L, new Array<number>(L).fill(threshold));
  const loss = metricsFromLogits(logits, valid, L, true).loss;
  const report = toReport({ ...m, ...(loss !== undefined ? { loss } : {}) }, [...labels]);
  return {
    threshold,
    report: {
      ...report,
      kind: 'multi-label',
      extra: { threshold, micro_f1: m.microF1, macro_f1: m.macroF1, subset_accuracy: m.subsetAccuracy },
    },
  };
}
