import { isTrainingActive, useStudio } from '../store';

/** Start, pause/resume and stop; stopping is cooperative (the worker finishes the current batch). */
export function TrainControls() {
  const status = useStudio((s) => s.training.status);
  const pending = useStudio((s) => s.dataset.warningsDecision === 'pending');
  const { startTraining, stopTraining, pauseTraining, resumeTraining } = useStudio.getState();
  const active = isTrainingActive(status);
  return (
    <div className="stack">
      {pending && <p className="notice">The data has warnings you have not decided on: all rows will be kept.</p>}
      <div className="actions">
        <button type="button" disabled={active} onClick={startTraining}>
          Start training
        </button>
        {status === 'paused' ? (
          <button type="button" className="secondary" onClick={resumeTraining}>
            Resume
          </button>
        ) : (
          <button type="button" className="secondary" disabled={status !== 'running'} onClick={pauseTraining}>
            Pause
          </button>
        )}
        <button
          type="button"
          className="secondary danger"
          disabled={!active || status === 'stopping'}
          onClick={stopTraining}
        >
          Stop training
        </button>
        <span className="muted" role="status" aria-label="Training status">
          {STATUS_TEXT[status]}
        </span>
      </div>
    </div>
  );
}

const STATUS_TEXT: Record<ReturnType<typeof useStudio.getState>['training']['status'], string> = {
  idle: '',
  starting: 'Preparing the data…',
  running: 'Training…',
  pausing: 'Pausing after this batch…',
  paused: 'Paused',
  stopping: 'Stopping after this batch…',
  done: 'Finished',
  stopped: 'Stopped',
};
