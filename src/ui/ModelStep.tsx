import { useStudio } from '../store';
import { CachedModels } from './CachedModels';
import { TASKS } from './catalog';
import { ErrorAlert } from './ErrorAlert';
import { SelectField } from './Field';
import { ModelInfoCard } from './ModelInfoCard';
import { ModelPicker } from './ModelPicker';
import { ModelProgress } from './ModelProgress';
import { SavedModels } from './SavedModels';

/** Step 2: pick and load a pretrained model, and say what task to fine-tune it for. */
export function ModelStep() {
  const info = useStudio((s) => s.model.info);
  const task = useStudio((s) => s.model.task);
  const setTask = useStudio((s) => s.setTask);
  const hasSaved = useStudio((s) => s.model.library.length > 0);
  return (
    <div className="stack">
      <section className="card" aria-labelledby="model-pick">
        <h3 id="model-pick">Pretrained model</h3>
        <ModelPicker />
        <ModelProgress />
        <ErrorAlert place="model" />
        {info && <ModelInfoCard info={info} />}
      </section>
      <section className="card" aria-labelledby="model-task">
        <h3 id="model-task">Task</h3>
        <SelectField
          label="Task"
          help={TASKS.find((t) => t.value === task)?.help}
          value={task}
          options={TASKS}
          onChange={setTask}
        />
      </section>
      <section className="card" aria-labelledby="model-cache">
        <h3 id="model-cache">Downloaded models</h3>
        <CachedModels />
      </section>
      {hasSaved && (
        <section className="card" aria-labelledby="model-saved">
          <h3 id="model-saved">Saved in this browser</h3>
          <SavedModels />
        </section>
      )}
    </div>
  );
}
