import { useStudio } from '../store';

/** Always says which tfjs backend runs, and why the faster ones were skipped. */
export function BackendBadge() {
  const backend = useStudio((s) => s.backend);
  if (backend.status === 'starting') {
    return (
      <span className="badge" role="status" aria-label="Backend">
        Starting engine…
      </span>
    );
  }
  if (backend.status === 'failed') {
    return (
      <span className="badge badge-error" role="status" aria-label="Backend">
        Engine failed: {backend.error}
      </span>
    );
  }
  const why = [...backend.skipped.map((s) => `${s.name}: ${s.reason}`), ...backend.notes].join('\n');
  return (
    <span className="badge" role="status" aria-label="Backend" title={why} data-backend={backend.name}>
      Backend: <strong>{backend.name}</strong>
      {backend.skipped.length > 0 && (
        <details className="badge-why">
          <summary>why</summary>
          <ul>
            {backend.skipped.map((s) => (
              <li key={s.name}>
                {s.name} skipped: {s.reason}
              </li>
            ))}
            {backend.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </details>
      )}
    </span>
  );
}
