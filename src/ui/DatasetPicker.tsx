import { useState, type DragEvent } from 'react';
import { useStudio } from '../store';
import { ProgressBar } from './ProgressBar';

const ACCEPT = '.csv,.conll,.tsv,.tab,.jsonl,.ndjson,.json,.txt,text/csv,text/tab-separated-values,text/plain';

/** Drop zone and file input for the dataset; parsing happens in the worker. */
export function DatasetPicker() {
  const load = useStudio((s) => s.loadDataset);
  const status = useStudio((s) => s.dataset.status);
  const progress = useStudio((s) => s.dataset.progress);
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) load(file);
  };
  return (
    <div
      className={`dropzone${over ? ' dropzone-over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <p className="dropzone-title">Drop a CSV, TSV, JSONL or TXT file here</p>
      <label className="file-button">
        Dataset file
        <input
          type="file"
          accept={ACCEPT}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) load(file);
            e.currentTarget.value = '';
          }}
        />
      </label>
      {status === 'parsing' && (
        <div role="status" className="wide">
          <ProgressBar label="Dataset parsing" value={progress} text="Parsing the file…" />
        </div>
      )}
      <p className="muted small">The file stays on this computer: it is parsed and trained on in this page.</p>
    </div>
  );
}
