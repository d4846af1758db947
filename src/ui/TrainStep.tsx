import { useStudio } from '../store';
import { ErrorAlert } from './ErrorAlert';
import { TrainControls } from './TrainControls';
import { TrainingProgress } from './TrainingProgress';
import { TrainSettingsForm } from './TrainSettingsForm';

/** Step 3: settings, start/stop, and the live charts. */
export function TrainStep() {
  const modelLabel = useStudio((s) => s.model.sourceLabel ?? s.model.info?.id);
  const fileName = useStudio((s) => s.dataset.summary?.fileName);
  const embed = useStudio((s) => s.model.task === 'embed');
  if (embed)
    return (
      <section className="card" aria-labelledby="train-settings">
        <h3 id="train-settings">No training needed</h3>
        <p className="muted">
          Sentence embeddings come straight from <strong>{modelLabel}</strong>’s encoder: open the Try step to embed{' '}
          <strong>{fileName}</strong>, see the map and search it.
        </p>
      </section>
    );
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
