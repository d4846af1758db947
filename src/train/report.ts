// Metrics as the JSON the CLI prints and exports carry: snake_case keys, classes by label name.
import type { Metrics } from './metrics';

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

export function metricsToJson(m: Metrics, labels: readonly string[], withConfusion = false): Record<string, unknown> {
  const perClass = Object.fromEntries(
    m.perClass.map((c, i) => [
      labels[i] ?? String(i),
      { precision: round(c.precision), recall: round(c.recall), f1: round(c.f1), support: c.support },
    ]),
  );
  const loss = m.loss === undefined ? {} : { loss: round(m.loss) };
  if (m.kind === 'multi-label') {
    return {
      ...loss,
      subset_accuracy: round(m.subsetAccuracy),
      micro_f1: round(m.microF1),
      macro_f1: round(m.macroF1),
      per_class: perClass,
    };
  }
  return {
    ...loss,
    accuracy: round(m.accuracy),
    macro_f1: round(m.macro.f1),
    weighted_f1: round(m.weighted.f1),
    macro_precision: round(m.macro.precision),
    macro_recall: round(m.macro.recall),
    per_class: perClass,
    ...(withConfusion ? { confusion_matrix: m.confusion } : {}),
  };
}
