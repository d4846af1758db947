import { useStudio } from '../store';
import { ColumnMapping } from './ColumnMapping';
import { DatasetFacts } from './DatasetFacts';
import { DatasetPicker } from './DatasetPicker';
import { DatasetStatsPanel } from './DatasetStatsPanel';
import { DataWarnings } from './DataWarnings';
import { EncodingSelect } from './EncodingSelect';
import { ErrorAlert } from './ErrorAlert';
import { PreviewTable } from './PreviewTable';
import { ValidationFilePicker } from './ValidationFilePicker';

/** Step 1: load a file, check what the parser saw, map the columns, look at the statistics. */
export function DataStep() {
  const summary = useStudio((s) => s.dataset.summary);
  const inWorker = useStudio((s) => s.dataset.inWorker);
  const restoring = useStudio((s) => s.dataset.restoring);
  return (
    <div className="stack">
      <section className="card" aria-labelledby="data-load">
        <h3 id="data-load">Dataset</h3>
        <DatasetPicker />
        <ErrorAlert place="data" />
        {summary && !inWorker && (
          <p className="notice" role="status">
            {restoring
              ? 'Reading the saved dataset again…'
              : `Choose ${summary.fileName} again to keep training on it.`}
          </p>
        )}
      </section>
      {summary && (
        <>
          <section className="card" aria-labelledby="data-facts">
            <h3 id="data-facts">What was found</h3>
            <DatasetFacts summary={summary} />
            <EncodingSelect />
            <DataWarnings />
          </section>
          <section className="card" aria-labelledby="data-columns">
            <h3 id="data-columns">Columns</h3>
            <ColumnMapping />
            <PreviewTable columns={summary.columns} rows={summary.preview} caption="First rows of the dataset" />
          </section>
          <section className="card" aria-labelledby="data-validation">
            <h3 id="data-validation">Validation and test files</h3>
            <ValidationFilePicker />
          </section>
          <section className="card" aria-labelledby="data-stats">
            <h3 id="data-stats">Statistics</h3>
            <DatasetStatsPanel />
          </section>
        </>
      )}
    </div>
  );
}
