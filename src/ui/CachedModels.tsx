import { useEffect } from 'react';
import { isTrainingActive, useStudio } from '../store';
import { formatBytes } from './format';

/** Hub downloads kept in the browser's cache: sizes, total usage, and removing them. */
export function CachedModels() {
  const cache = useStudio((s) => s.model.cache);
  const modelStatus = useStudio((s) => s.model.status);
  const busy = useStudio((s) => s.model.status === 'loading' || isTrainingActive(s.training.status));
  const { refreshCache, clearModelCache } = useStudio.getState();
  // A finished load may have added a download: list again whenever loading ends.
  useEffect(() => {
    if (modelStatus !== 'loading') refreshCache();
  }, [modelStatus, refreshCache]);
  if (!cache) return <p className="muted small">Reading the download cache…</p>;
  return (
    <div className="stack">
      <p role="status">
        {cache.models.length === 0 ? 'No models downloaded yet. ' : ''}
        Cache usage: {formatBytes(cache.totalBytes)}
      </p>
      {cache.models.length > 0 && (
        <ul className="saved-list" aria-label="Downloaded models">
          {cache.models.map((m) => (
            <li key={`${m.hub} ${m.id}`} className="saved-item">
              <div className="min0">
                <strong>{m.id}</strong>
                <div className="muted small">
                  {formatBytes(m.sizeBytes)} · from {m.hub}
                </div>
              </div>
              <div className="actions">
                <button
                  type="button"
                  className="ghost"
                  aria-label={`Remove downloaded model ${m.id}`}
                  disabled={busy}
                  onClick={() => clearModelCache(m.id)}
                >
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {cache.totalBytes > 0 && (
        <div className="actions">
          <button type="button" className="secondary" disabled={busy} onClick={() => clearModelCache()}>
            Clear cache
          </button>
        </div>
      )}
    </div>
  );
}
