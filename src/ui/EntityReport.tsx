import type { EvalReport } from '../train/protocol';
import { formatMetric, formatPercent } from './format';

/** seqeval's report: per entity type, then micro / macro / weighted averages, and token accuracy. */
export function EntityReport({ report }: { report: EvalReport }) {
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
        <strong>{formatPercent(report.accuracy)}</strong> · validation loss <strong>{report.loss.toFixed(4)}</strong>
      </p>
      <div className="table-wrap">
        <table className="table" aria-label="Entity report">
          <thead>
            <tr>
              <th scope="col">Entity type</th>
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
            {rows.map(({ name, m, avg }) => (
              <tr key={name} className={avg ? 'avg-row' : undefined}>
                <th scope="row">{name}</th>
                <td className="num">{formatMetric(m.precision)}</td>
                <td className="num">{formatMetric(m.recall)}</td>
                <td className="num">{formatMetric(m.f1)}</td>
                <td className="num">{m.support.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        Entities count only when type and both ends match (seqeval). Support: true entities in the validation sentences.
      </p>
    </div>
  );
}
