import type { ClassMetrics, EvalReport } from '../train/protocol';
import { formatMetric, formatPercent } from './format';

/** Which rows a report measures: the validation rows (default) or the held-out test rows. */
export type EvalSet = 'validation' | 'test';

/** scikit-learn's classification_report as a table: per class, then macro and weighted averages. */
export function ClassificationReport({ report, set = 'validation' }: { report: EvalReport; set?: EvalSet }) {
  const rows: [string, Omit<ClassMetrics, 'label'>, boolean][] = [
    ...report.perClass.map((c): [string, ClassMetrics, boolean] => [c.label, c, false]),
    ['macro avg', report.macro, true],
    ['weighted avg', report.weighted, true],
  ];
  return (
    <div className="stack">
      <p>
        Accuracy <strong>{formatPercent(report.accuracy)}</strong> · {set} loss{' '}
        <strong>{report.loss.toFixed(4)}</strong>
      </p>
      <div className="table-wrap">
        <table className="table" aria-label={set === 'test' ? 'Test classification report' : 'Classification report'}>
          <thead>
            <tr>
              <th scope="col">Class</th>
              <th scope="col" className="num">
                Precision
              </th>
              <th scope="col" className="num">
                Recall
              </th>
              <th scope="col" className="num">
                F1
              </th>
              <th scope="col" className="num">
                Support
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, m, avg]) => (
              <tr key={label} className={avg ? 'avg-row' : undefined}>
                <th scope="row">{label}</th>
                <td className="num">{formatMetric(m.precision)}</td>
                <td className="num">{formatMetric(m.recall)}</td>
                <td className="num">{formatMetric(m.f1)}</td>
                <td className="num">{m.support.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
