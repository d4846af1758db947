import type { ClassMetrics } from '../train/protocol';
import { formatMetric } from './format';

export interface ScoresRow {
  name: string;
  m: Omit<ClassMetrics, 'label'>;
  /** An average row (macro, weighted, micro), set apart from the per-class rows. */
  avg: boolean;
}

/** Precision / recall / F1 / support per row, as scikit-learn's and seqeval's reports print them. */
export function ScoresTable({ label, firstColumn, rows }: { label: string; firstColumn: string; rows: ScoresRow[] }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">{firstColumn}</th>
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
  );
}
