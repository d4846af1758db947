import { isTrainingActive, modelSource, useStudio } from '../store';
import type { CheckpointInfo } from '../train/protocol';

/** Runs cut short (reload, closed tab, crashed worker) that can continue from their last checkpoint. */
export function ResumeOffer() {
  const checkpoints = useStudio((s) => s.recovery.checkpoints);
  const resuming = useStudio((s) => s.recovery.resuming);
  const active = useStudio((s) => isTrainingActive(s.training.status));
  const runs = useStudio((s) => s.project.runs);
  const backendReady = useStudio((s) => s.backend.status === 'ready');
  const { resumeRun, discardCheckpoint } = useStudio.getState();
  if (active || checkpoints.length === 0) return null;
  return (
    <section className="card stack" aria-label="Interrupted training">
      {checkpoints.map((cp) => {
        const run = runs.find((r) => r.id === cp.runId);
        return (
          <div key={cp.runId} className="stack">
            <p>
              <strong>{run ? `Run ${run.number}` : 'A training run'}</strong> stopped before it finished: {describe(cp)}
            </p>
            {!modelSource(cp.model) && (
              <p className="help">Pick the same model files in the Model step first; the browser cannot reopen them.</p>
            )}
            <div className="actions">
              <button
                type="button"
                disabled={!backendReady || resuming !== null}
                onClick={() => void resumeRun(cp.runId)}
              >
                {resuming === cp.runId ? 'Resuming…' : 'Resume training'}
              </button>
              <button
                type="button"
                className="secondary"
                disabled={resuming !== null}
                onClick={() => discardCheckpoint(cp.runId)}
              >
                Discard checkpoint
              </button>
            </div>
          </div>
        );
      })}
    </section>
  );
}

function describe(cp: CheckpointInfo): string {
  const where = cp.batchInEpoch > 0 ? `part-way through epoch ${cp.epoch + 1}` : `after epoch ${cp.epoch}`;
  const data = cp.dataset ? ` on ${cp.dataset.name}` : '';
  const at = new Date(cp.savedAt).toLocaleTimeString();
  return `${cp.modelId}${data}, saved ${where} of ${cp.settings.epochs} (step ${cp.step}) at ${at}.`;
}
