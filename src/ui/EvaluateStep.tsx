import { currentRun, useStudio } from '../store';
import { ClassificationReport, type EvalSet } from './ClassificationReport';
import { ConfusionMatrix } from './ConfusionMatrix';
import { EntityReport } from './EntityReport';
import { MisclassifiedTable } from './MisclassifiedTable';
import { QaReport } from './QaReport';
import type { EvalReport } from '../train/protocol';
import { formatMetric, formatPercent } from './format';
import { RunHistory } from './RunHistory';

/** Step 4: how good the model is on the validation rows, where it errs, and how runs compare. */
export function EvaluateStep() {
  const report = useStudio((s) => s.results.report);
  const from = useStudio((s) => s.results.reportFrom);
  const misclassified = useStudio((s) => s.results.misclassified);
  const bestEpoch = useStudio((s) => s.results.bestEpoch);
  const test = useStudio((s) => currentRun(s.project)?.test ?? null);
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
          <ReportBody report={report} />
          {from === 'final' && (report.kind ?? 'classes') === 'classes' && (
            <>
              <h4>Misclassified validation rows</h4>
              <MisclassifiedTable rows={misclassified} labels={report.labels} />
            </>
          )}
        </section>
      )}
      {test && (
        <section className="card stack" role="region" aria-label="Test evaluation">
          <h3>
            Test <span className="muted small">held-out test rows, evaluated once with the final model</span>
          </h3>
          <p className="muted small">
            These rows never steered training: no early stopping, best-epoch choice or threshold tuning used them.
          </p>
          <ReportBody report={test} set="test" />
        </section>
      )}
      <section className="card" aria-labelledby="runs-title">
        <h3 id="runs-title">Runs</h3>
        <RunHistory />
      </section>
    </div>
  );
}

/** The task's own metrics table: entity types, SQuAD scores, or classes (with a confusion matrix when there is one). */
function ReportBody({ report, set = 'validation' }: { report: EvalReport; set?: EvalSet }) {
  if (report.kind === 'entities') return <EntityReport report={report} set={set} />;
  if (report.kind === 'qa') return <QaReport report={report} set={set} />;
  const x = report.extra;
  return (
    <>
      {report.kind === 'multi-label' && x && (
        <p>
          Decision threshold <strong>{x.threshold}</strong> (tuned on the validation rows) · micro F1{' '}
          <strong>{formatMetric(x.micro_f1 ?? 0)}</strong> · macro F1 <strong>{formatMetric(x.macro_f1 ?? 0)}</strong> ·
          subset accuracy <strong>{formatPercent(x.subset_accuracy ?? 0)}</strong>
        </p>
      )}
      <div className="grid-2">
        <ClassificationReport report={report} set={set} />
        {report.confusion.length > 0 && <ConfusionMatrix report={report} set={set} />}
      </div>
    </>
  );
}
