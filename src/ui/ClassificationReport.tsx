import type { EvalReport } from '../train/protocol';
import { formatPercent } from './format';
import { ScoresTable } from './ScoresTable';

/** Which rows a report measures: the validation rows (default) or the held-out test rows. */
export type EvalSet = 'validation' | 'test';

/** scikit-learn's classification_report as a table: per class, then macro and weighted averages. */
export function ClassificationReport({ report, set = 'validation' }: { report: EvalReport; set?: EvalSet }) {
  const rows = [
    ...report.perClass.map((c) => ({ name: c.label, m: c, avg: false })),
    { name: 'macro avg', m: report.macro, avg: true },
    { name: 'weighted avg', m: report.weighted, avg: true },
  ];
  return (
    <div className="stack">
      <p>
        Accuracy <strong>{formatPercent(report.accuracy)}</strong> · {set} loss{' '}
        <strong>{report.loss.toFixed(4)}</strong>
      </p>
      <ScoresTable
        label={set === 'test' ? 'Test classification report' : 'Classification report'}
        firstColumn="Class"
        rows={rows}
      />
    </div>
  );
}
