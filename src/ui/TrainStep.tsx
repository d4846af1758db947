import { useStudio } from '../store';
import { ErrorAlert } from './ErrorAlert';
import { TrainControls } from './TrainControls';
import { TrainingProgress } from './TrainingProgress';
import { TrainSettingsForm } from './TrainSettingsForm';

/** Step 3: settings, start/stop, and the live charts. */
export function TrainStep() {
  const modelLabel = useStudio((s) => s.model.sourceLabel ?? s.model.info?.id);
  const fileName = useStudio((s) => s.dataset.summary?.fileName);
  return (
    <div className="stack">
      <section className="card stack" aria-labelledby="train-settings">
        <h3 id="train-settings">Settings</h3>
        <p className="muted">
          Fine-tune <strong>{modelLabel}</strong> on <strong>{fileName}</strong>.
        </p>
        <TrainSettingsForm />
        <TrainControls />
        <ErrorAlert place="train" />
      </section>
      <TrainingProgress />
    </div>
  );
}
