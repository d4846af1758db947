import { useStudio } from '../store';

const ACCEPT = '.csv,.tsv,.tab,.jsonl,.ndjson,.json,.txt,text/csv,text/tab-separated-values,text/plain';

/** The optional validation and test files, used when the validation split is "Separate file". */
export function ValidationFilePicker() {
  const loadValidation = useStudio((s) => s.loadValidationFile);
  const loadTest = useStudio((s) => s.loadTestFile);
  const validation = useStudio((s) => s.dataset.validation);
  const test = useStudio((s) => s.dataset.test);
  return (
    <div className="grid-2">
      <ExtraFile
        label="Validation file"
        file={validation}
        load={loadValidation}
        idle='Optional: the same columns as the dataset; used when the validation split is "Separate file".'
      />
      <ExtraFile
        label="Test file"
        file={test}
        load={loadTest}
        idle="Optional: rows evaluated once after training, never used to pick the model."
      />
    </div>
  );
}

interface ExtraFileProps {
  label: string;
  file: { status: 'loading' | 'ready'; fileName: string; rows: number } | null;
  load: (file: File) => void;
  idle: string;
}

function ExtraFile({ label, file, load, idle }: ExtraFileProps) {
  const inWorker = useStudio((s) => s.dataset.inWorker);
  return (
    <div className="stack">
      <label className="file-button">
        {label}
        <input
          type="file"
          accept={ACCEPT}
          disabled={!inWorker}
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            if (f) load(f);
            e.currentTarget.value = '';
          }}
        />
      </label>
      <p className="muted small" role="status">
        {file?.status === 'loading'
          ? `Reading ${file.fileName}…`
          : file?.status === 'ready'
            ? `${file.fileName}: ${file.rows} rows. Choose "Separate file" as the validation split in the Train step to use it.`
            : idle}
      </p>
    </div>
  );
}
