import type { EvalReport } from '../train/protocol';
import type { EvalSet } from './ClassificationReport';
import { formatMetric, formatPercent } from './format';
import { ScoresTable } from './ScoresTable';

/** seqeval's report: per entity type, then micro / macro / weighted averages, and token accuracy. */
export function EntityReport({ report, set = 'validation' }: { report: EvalReport; set?: EvalSet }) {
  const x = report.extra ?? {};
  const support = report.perClass.reduce((s, c) => s + c.support, 0);
  const micro = { precision: x.micro_precision ?? 0, recall: x.micro_recall ?? 0, f1: x.micro_f1 ?? 0, support };
  const rows = [
    ...report.perClass.map((c) => ({ name: c.label, m: c, avg: false })),
    { name: 'micro avg', m: micro, avg: true },
    { name: 'macro avg', m: report.macro, avg: true },
    { name: 'weighted avg', m: report.weighted, avg: true },
  ];
  return (
    <div className="stack">
      <p>
        Entity F1 <strong>{formatMetric(micro.f1)}</strong> · token accuracy{' '}
        <strong>{formatPercent(report.accuracy)}</strong> · {set} loss <strong>{report.loss.toFixed(4)}</strong>
      </p>
      <ScoresTable
        label={set === 'test' ? 'Test entity report' : 'Entity report'}
        firstColumn="Entity type"
        rows={rows}
      />
      <p className="muted small">
        Entities count only when type and both ends match (seqeval). Support: true entities in the {set} sentences.
      </p>
    </div>
  );
}
