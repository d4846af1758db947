// Token-cls (seqeval) and qa (SQuAD) metrics → the page's EvalReport, so the Evaluate step and
// the run history read one shape for every task.
import type { QaMetrics } from '../tasks/qa';
import type { TokenClsMetrics } from '../tasks/tokenCls';
import type { EvalReport } from '../protocol';

/** perClass = entity types (seqeval order); accuracy = token accuracy; micro averages in extra. */
export function entityReport(m: TokenClsMetrics): EvalReport {
  const types = Object.keys(m.perType);
  return {
    kind: 'entities',
    loss: m.loss,
    accuracy: m.accuracy,
    perClass: types.map((label) => ({ label, ...m.perType[label]! })),
    macro: m.macro,
    weighted: m.weighted,
    confusion: [],
    labels: types,
    extra: {
      micro_precision: m.micro.precision,
      micro_recall: m.micro.recall,
      micro_f1: m.micro.f1,
      predicted_entities: m.predicted,
      sentences: m.sentences,
    },
  };
}

const NO_CLASSES = { precision: 0, recall: 0, f1: 0, support: 0 };

/**
 * SQuAD exact match and F1 (percentages, as the official script) in extra; as fractions in
 * accuracy and macro.f1 too, so the epoch chart and run history plot them like the other tasks.
 */
export function qaReport(m: QaMetrics): EvalReport {
  return {
    kind: 'qa',
    loss: m.loss,
    accuracy: m.exact_match / 100,
    perClass: [],
    macro: { ...NO_CLASSES, f1: m.f1 / 100, support: m.total },
    weighted: { ...NO_CLASSES, support: m.total },
    confusion: [],
    labels: [],
    extra: { exact_match: m.exact_match, f1: m.f1, questions: m.total, windows: m.windows },
  };
}
