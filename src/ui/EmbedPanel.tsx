import { useStudio } from '../store';
import { EmbeddingMap } from './charts/EmbeddingMap';
import { EmbeddingDownload } from './EmbeddingDownload';
import { ErrorAlert } from './ErrorAlert';
import { ProgressBar } from './ProgressBar';
import { SimilarSearch } from './SimilarSearch';

/** The embed task: compute the dataset's sentence embeddings, see them on a map, search them, download them. */
export function EmbedPanel() {
  const e = useStudio((s) => s.embed);
  const column = useStudio((s) => s.dataset.mapping.text);
  const hasData = useStudio((s) => s.dataset.inWorker);
  const embedDataset = useStudio((s) => s.embedDataset);
  const running = e.status === 'running';
  return (
    <div className="stack">
      <section className="card stack" role="region" aria-label="Embeddings">
        <h3>Sentence embeddings</h3>
        <p className="muted">
          Mean-pooled vectors of the “{column ?? '…'}” column from the loaded model’s encoder; no training needed.
        </p>
        <div className="actions">
          <button type="button" disabled={!hasData || !column || running} onClick={embedDataset}>
            Embed dataset
          </button>
          {running && <span className="muted">Embedding…</span>}
        </div>
        {running && e.progress && (
          <ProgressBar value={e.progress.done / Math.max(1, e.progress.total)} label="Embedding progress" />
        )}
        <ErrorAlert place="try" />
        {e.status === 'ready' && (
          <>
            <p className="muted small">
              {e.points.length.toLocaleString()} rows, {e.dim} dimensions.
            </p>
            <EmbeddingMap points={e.points} labels={e.labels} texts={e.texts} />
          </>
        )}
      </section>
      {e.status === 'ready' && (
        <>
          <section className="card stack" aria-labelledby="similar-title">
            <h3 id="similar-title">Nearest rows</h3>
            <SimilarSearch />
          </section>
          <section className="card stack" aria-labelledby="vectors-title">
            <h3 id="vectors-title">Download</h3>
            <EmbeddingDownload />
          </section>
        </>
      )}
    </div>
  );
}
