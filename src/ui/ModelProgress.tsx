import { overallProgress, useStudio } from '../store';
import { formatBytes } from './format';
import { ProgressBar } from './ProgressBar';

/** Download progress while a model loads: one bar overall, bytes per file. */
export function ModelProgress() {
  const progress = useStudio((s) => s.model.progress);
  const status = useStudio((s) => s.model.status);
  if (status !== 'loading') return null;
  const files = Object.entries(progress);
  return (
    <div className="stack" role="status" aria-label="Model loading">
      <ProgressBar label="Model download" value={overallProgress(progress)} text="Loading model…" />
      {files.length > 0 && (
        <ul className="file-progress">
          {files.map(([file, p]) => (
            <li key={file}>
              <span className="mono">{file}</span> {formatBytes(p.loaded)}
              {p.total !== null && ` of ${formatBytes(p.total)}`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
