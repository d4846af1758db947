import { useStudio } from '../store';
import { ClassificationReport } from './ClassificationReport';
import { ConfusionMatrix } from './ConfusionMatrix';
import { MisclassifiedTable } from './MisclassifiedTable';
import { RunHistory } from './RunHistory';

/** Step 4: how good the model is on the validation rows, where it errs, and how runs compare. */
export function EvaluateStep() {
  const report = useStudio((s) => s.results.report);
  const from = useStudio((s) => s.results.reportFrom);
  const misclassified = useStudio((s) => s.results.misclassified);
  const bestEpoch = useStudio((s) => s.results.bestEpoch);
  return (
    <div className="stack">
      {report && (
        <section className="card stack" role="region" aria-label="Evaluation">
          <h3>
            Evaluation{' '}
            <span className="muted small">
              {from === 'final' ? `final model${bestEpoch ? ` (best epoch ${bestEpoch})` : ''}` : `after epoch ${from}`}
              , validation rows
            </span>
          </h3>
          <div className="grid-2">
            <ClassificationReport report={report} />
            <ConfusionMatrix report={report} />
          </div>
          {from === 'final' && (
            <>
              <h4>Misclassified validation rows</h4>
              <MisclassifiedTable rows={misclassified} labels={report.labels} />
            </>
          )}
        </section>
      )}
      <section className="card" aria-labelledby="runs-title">
        <h3 id="runs-title">Runs</h3>
        <RunHistory />
      </section>
    </div>
  );
}
