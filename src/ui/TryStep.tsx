import { BatchPredict } from './BatchPredict';
import { ErrorAlert } from './ErrorAlert';
import { PredictBox } from './PredictBox';

/** Step 5: predictions on typed text, or on a whole file. */
export function TryStep() {
  return (
    <div className="stack">
      <section className="card stack" role="region" aria-label="Prediction">
        <h3>Try the model</h3>
        <PredictBox />
        <ErrorAlert place="try" />
      </section>
      <section className="card stack" aria-labelledby="batch-title">
        <h3 id="batch-title">Batch prediction</h3>
        <BatchPredict />
      </section>
    </div>
  );
}
