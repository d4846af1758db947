import { useStudio } from '../store';

const ACCEPT = '.csv,.tsv,.tab,.jsonl,.ndjson,.json,.txt,text/csv,text/tab-separated-values,text/plain';

/** An optional second file whose rows validate training ("Separate file" in the Train step). */
export function ValidationFilePicker() {
  const load = useStudio((s) => s.loadValidationFile);
  const validation = useStudio((s) => s.dataset.validation);
  const inWorker = useStudio((s) => s.dataset.inWorker);
  return (
    <div className="stack">
      <label className="file-button">
        Validation file
        <input
          type="file"
          accept={ACCEPT}
          disabled={!inWorker}
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            if (file) load(file);
            e.currentTarget.value = '';
          }}
        />
      </label>
      <p className="muted small" role="status">
        {validation?.status === 'loading'
          ? `Reading ${validation.fileName}…`
          : validation?.status === 'ready'
            ? `${validation.fileName}: ${validation.rows} rows. Choose "Separate file" as the validation split in the Train step to use it.`
            : 'Optional: the same columns as the dataset; used when the validation split is "Separate file".'}
      </p>
    </div>
  );
}
