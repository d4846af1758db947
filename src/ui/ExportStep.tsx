import { ErrorAlert } from './ErrorAlert';
import { ExportPanel } from './ExportPanel';
import { RunSummary } from './RunSummary';

/** Step 6: keep the model (browser library or zip) and a summary of the run behind it. */
export function ExportStep() {
  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="export-title">
        <h3 id="export-title">Export</h3>
        <ExportPanel />
        <ErrorAlert place="export" />
      </section>
      <section className="card" aria-labelledby="summary-title">
        <h3 id="summary-title">Run summary</h3>
        <RunSummary />
      </section>
    </div>
  );
}
