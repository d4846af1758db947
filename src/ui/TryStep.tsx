import { useStudio } from '../store';
import { BatchPredict } from './BatchPredict';
import { EmbedPanel } from './EmbedPanel';
import { EntityPredictBox } from './EntityPredictBox';
import { ErrorAlert } from './ErrorAlert';
import { PredictBox } from './PredictBox';
import { QaPredictBox } from './QaPredictBox';

/** Step 5: predictions on typed text (in the task's own form), or on a whole file; the embed task's map and search. */
export function TryStep() {
  const task = useStudio((s) => s.model.task);
  if (task === 'embed') return <EmbedPanel />;
  return (
    <div className="stack">
      <section className="card stack" role="region" aria-label="Prediction">
        <h3>Try the model</h3>
        {task === 'token-cls' ? <EntityPredictBox /> : task === 'qa' ? <QaPredictBox /> : <PredictBox />}
        <ErrorAlert place="try" />
      </section>
      <section className="card stack" aria-labelledby="batch-title">
        <h3 id="batch-title">Batch prediction</h3>
        <BatchPredict />
      </section>
    </div>
  );
}
