import type { EvalReport } from '../train/protocol';
import type { EvalSet } from './ClassificationReport';

/** SQuAD v1.1 exact match and F1 over the validation (or test) questions. */
export function QaReport({ report, set = 'validation' }: { report: EvalReport; set?: EvalSet }) {
  const x = report.extra ?? {};
  const rows: [string, string][] = [
    ['Exact match', `${(x.exact_match ?? 0).toFixed(2)}`],
    ['F1', `${(x.f1 ?? 0).toFixed(2)}`],
    ['Questions', (x.questions ?? 0).toLocaleString()],
    ['Context windows', (x.windows ?? 0).toLocaleString()],
    [set === 'test' ? 'Test loss' : 'Validation loss', report.loss.toFixed(4)],
  ];
  return (
    <div className="stack">
      <div className="table-wrap fit">
        <table
          className="table"
          aria-label={set === 'test' ? 'Test question answering report' : 'Question answering report'}
        >
          <tbody>
            {rows.map(([name, value]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td className="num">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        Exact match and F1 in percent, as the official SQuAD script computes them (best over every reference answer).
      </p>
    </div>
  );
}
