import { isTrainingActive, useStudio } from '../store';

/** Start, pause/resume and stop; stopping is cooperative (the worker finishes the current batch). */
export function TrainControls() {
  const status = useStudio((s) => s.training.status);
  const pending = useStudio((s) => s.dataset.warningsDecision === 'pending');
  const saved = useStudio((s) =>
    s.recovery.lastSaved?.runId === s.project.currentRunId ? s.recovery.lastSaved : null,
  );
  const oom = useStudio((s) => s.recovery.oom);
  const { startTraining, stopTraining, pauseTraining, resumeTraining, retryHalfBatch } = useStudio.getState();
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
        {saved && active && (
          <span className="muted" role="status" aria-label="Checkpoint">
            Checkpoint saved after epoch {saved.epoch} (step {saved.step})
          </span>
        )}
      </div>
      {oom && !active && (
        <div className="actions">
          <button type="button" onClick={retryHalfBatch}>
            Retry with half the batch size and 2x gradient accumulation
          </button>
          <span className="help">
            Batch {Math.max(1, Math.floor(oom.batchSize / 2))}, accumulation {oom.gradAccumSteps * 2}: the same
            effective batch of {oom.batchSize * oom.gradAccumSteps}.
          </span>
        </div>
      )}
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
