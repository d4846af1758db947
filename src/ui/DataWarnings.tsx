import { useStudio } from '../store';
import { describeRows } from './format';

/** Parser warnings with counts and row numbers; the user drops the rows, keeps them, or stops. */
export function DataWarnings() {
  const warnings = useStudio((s) => s.dataset.summary?.warnings ?? []);
  const decision = useStudio((s) => s.dataset.warningsDecision);
  const dropped = useStudio((s) => s.dataset.dropRows.length);
  const decide = useStudio((s) => s.decideWarnings);
  if (warnings.length === 0) return null;
  const listed = new Set(warnings.flatMap((w) => w.rows)).size;
  return (
    <div className="warnings" aria-label="Data warnings" role="group">
      <h3>Warnings</h3>
      <ul>
        {warnings.map((w) => (
          <li key={w.code}>
            <strong>{w.count.toLocaleString()}×</strong> {w.message}{' '}
            <span className="muted">({describeRows(w.rows, w.count)})</span>
          </li>
        ))}
      </ul>
      {decision === 'pending' ? (
        <div className="actions">
          <button type="button" onClick={() => decide('drop')}>
            Drop {listed.toLocaleString()} flagged rows
          </button>
          <button type="button" className="secondary" onClick={() => decide('keep')}>
            Keep them
          </button>
          <button type="button" className="secondary" onClick={() => decide('stop')}>
            Stop and choose another file
          </button>
        </div>
      ) : (
        <p className="muted">
          {decision === 'drop'
            ? `${dropped.toLocaleString()} rows will be left out of training.`
            : 'All rows are kept.'}{' '}
          <button type="button" className="link" onClick={() => decide(decision === 'drop' ? 'keep' : 'drop')}>
            {decision === 'drop' ? 'Keep them instead' : 'Drop them instead'}
          </button>
        </p>
      )}
    </div>
  );
}
