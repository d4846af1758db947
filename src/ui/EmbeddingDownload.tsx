import { useEffect, useRef } from 'react';
import { useStudio } from '../store';
import { formatBytes } from './format';
import { useObjectUrl } from './hooks/useObjectUrl';

/** The vectors as CSV (id = data row) or a NumPy .npy float32 matrix; the download starts on arrival. */
export function EmbeddingDownload() {
  const exported = useStudio((s) => s.embed.exported);
  const exportEmbeddings = useStudio((s) => s.exportEmbeddings);
  const type = exported?.fileName.endsWith('.npy') ? 'application/octet-stream' : 'text/csv';
  const url = useObjectUrl(exported?.bytes ?? null, type);
  const link = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (url) link.current?.click();
  }, [url]);
  return (
    <div className="stack">
      <div className="actions">
        <button type="button" className="secondary" onClick={() => exportEmbeddings('csv')}>
          Download vectors (CSV)
        </button>
        <button type="button" className="secondary" onClick={() => exportEmbeddings('npy')}>
          Download vectors (.npy)
        </button>
      </div>
      {exported && url && (
        <p role="status" aria-label="Embeddings download">
          <a ref={link} href={url} download={exported.fileName}>
            {exported.fileName}
          </a>{' '}
          <span className="muted">({formatBytes(exported.bytes.byteLength)})</span>
        </p>
      )}
    </div>
  );
}
