import { useStudio } from '../store';
import { useObjectUrl } from './hooks/useObjectUrl';

/** Predict a whole CSV (same text column as training) and download it with the predictions added. */
export function BatchPredict() {
  const batch = useStudio((s) => s.results.batch);
  const predictBatch = useStudio((s) => s.predictBatch);
  const url = useObjectUrl(batch.csv, 'text/csv;charset=utf-8');
  const outName = `${(batch.fileName ?? 'data').replace(/\.[^.]+$/, '')}-predictions.csv`;
  return (
    <div className="stack">
      <label className="file-button">
        Batch CSV
        <input
          type="file"
          accept=".csv,.tsv,.jsonl,.txt"
          disabled={batch.status === 'running'}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) predictBatch(file);
            e.currentTarget.value = '';
          }}
        />
      </label>
      {batch.status === 'running' && (
        <p role="status" className="muted">
          Predicting {batch.fileName}…
        </p>
      )}
      {batch.status === 'done' && url && (
        <p>
          <a href={url} download={outName}>
            Download predictions ({batch.rows.toLocaleString()} rows)
          </a>
        </p>
      )}
    </div>
  );
}
