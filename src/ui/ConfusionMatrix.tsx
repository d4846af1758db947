import type { CSSProperties } from 'react';
import type { EvalReport } from '../train/protocol';
import type { EvalSet } from './ClassificationReport';

/** Heat-mapped confusion matrix as a real table (rows: true label, columns: predicted). */
export function ConfusionMatrix({ report, set = 'validation' }: { report: EvalReport; set?: EvalSet }) {
  const { labels, confusion } = report;
  return (
    <div className="table-wrap fit">
      <table className="table confusion" aria-label={set === 'test' ? 'Test confusion matrix' : 'Confusion matrix'}>
        <thead>
          <tr>
            <th scope="col">
              <span className="muted small">true ↓ / predicted →</span>
            </th>
            {labels.map((l) => (
              <th scope="col" key={l} className="num">
                {l}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {labels.map((trueLabel, i) => {
            const row = confusion[i] ?? [];
            const total = row.reduce((a, b) => a + b, 0);
            return (
              <tr key={trueLabel}>
                <th scope="row">{trueLabel}</th>
                {labels.map((predicted, j) => {
                  const n = row[j] ?? 0;
                  const share = total > 0 ? n / total : 0;
                  return (
                    <td
                      key={predicted}
                      className={`num heat${share > 0.55 ? ' heat-strong' : ''}${i === j ? ' diag' : ''}`}
                      style={{ '--share': share.toFixed(3) } as CSSProperties}
                      title={`${n} of ${total} "${trueLabel}" rows predicted "${predicted}"`}
                    >
                      {n.toLocaleString()}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
