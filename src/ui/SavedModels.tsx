import { isTrainingActive, useStudio } from '../store';
import { formatBytes, formatMetric } from './format';
import { RenameSavedModel } from './RenameSavedModel';

/** Models saved in this browser (the worker's library); loading one makes it ready to predict. */
export function SavedModels() {
  const saved = useStudio((s) => s.model.library);
  const busy = useStudio((s) => s.model.status === 'loading' || isTrainingActive(s.training.status));
  const { loadModel, deleteSavedModel } = useStudio.getState();
  if (saved.length === 0) return null;
  return (
    <ul className="saved-list" aria-label="Saved models">
      {saved.map((m) => (
        <li key={m.id} className="saved-item">
          <div className="min0">
            <strong>{m.name}</strong>
            <div className="muted small">
              {m.task} from {m.baseModel}
              {m.labels.length > 0 && ` · ${m.labels.join(', ')}`}
              {Object.entries(m.metrics)
                .slice(0, 3)
                .map(([k, v]) => ` · ${k} ${formatMetric(v)}`)
                .join('')}{' '}
              · {formatBytes(m.sizeBytes)} · {new Date(m.createdAt).toLocaleString()}
            </div>
          </div>
          <div className="actions">
            <button
              type="button"
              className="secondary"
              aria-label={`Load saved model ${m.name}`}
              disabled={busy}
              onClick={() => loadModel({ kind: 'library', id: m.id }, m.name)}
            >
              Load
            </button>
            <RenameSavedModel id={m.id} name={m.name} disabled={busy} />
            <button
              type="button"
              className="ghost"
              aria-label={`Delete saved model ${m.name}`}
              disabled={busy}
              onClick={() => deleteSavedModel(m.id)}
            >
              Delete
            </button>
          </div>
        </li>
      ))}
    </ul>
  );
}
