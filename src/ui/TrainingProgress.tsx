import { useMemo } from 'react';
import { currentRun, useStudio } from '../store';
import { EpochChart } from './charts/EpochChart';
import { LossChart } from './charts/LossChart';
import { LrChart } from './charts/LrChart';
import { formatBytes, formatDuration, formatPercent } from './format';
import { ProgressBar } from './ProgressBar';
import { useThrottledValue } from './hooks/useThrottledValue';

/** How often the curves redraw while a run streams in; the progress bar and figures follow every update. */
const CHART_INTERVAL_MS = 1000;

/** Live view of the current run: progress, speed, time left, and the curves. */
export function TrainingProgress() {
  const run = useStudio((s) => currentRun(s.project));
  const last = useStudio((s) => s.training.last);
  const backend = useStudio((s) => (s.backend.status === 'ready' ? s.backend.name : s.backend.status));
  const steps = useThrottledValue(run?.steps, CHART_INTERVAL_MS);
  // Chained, so each chart redraws in its own task rather than all three in one.
  const lrSteps = useThrottledValue(steps, CHART_INTERVAL_MS);
  const epochPoints = useThrottledValue(run?.epochs, CHART_INTERVAL_MS);
  // The same element while the points are unchanged, so the per-step renders skip the charts.
  const charts = useMemo(
    () => (
      <div className="grid-2">
        <LossChart points={steps ?? []} />
        <EpochChart points={epochPoints ?? []} />
        <LrChart points={lrSteps ?? []} />
      </div>
    ),
    [steps, lrSteps, epochPoints],
  );
  if (!run) return null;
  const epochs = run.settings.epochs;
  const perEpoch = last ? last.totalSteps / epochs : 1;
  // Derived from the step so it reads the same whether the worker counts epochs from 0 or 1.
  const epoch = last ? Math.min(epochs, Math.floor(Math.max(0, last.step - 1) / perEpoch) + 1) : 0;
  return (
    <section className="card stack" role="region" aria-label="Training progress">
      <h3>
        Run {run.number}{' '}
        <span className="muted small">
          · {run.modelLabel} on {run.datasetName}
        </span>
      </h3>
      <ProgressBar
        label="Training progress"
        value={last ? last.step / last.totalSteps : run.status === 'done' ? 1 : null}
        text={
          last
            ? `Epoch ${epoch} of ${epochs} · step ${last.step} of ${last.totalSteps} · ${formatPercent(last.step / last.totalSteps, 0)}`
            : undefined
        }
      />
      {last && (
        <dl className="facts compact" aria-label="Training speed">
          <Fact k="Samples/s" v={last.samplesPerSec.toFixed(1)} />
          <Fact k="Elapsed" v={formatDuration(last.elapsedSec)} />
          <Fact k="ETA" v={formatDuration(last.etaSec)} />
          <Fact k="Loss" v={last.loss.toFixed(4)} />
          <Fact k="Backend" v={backend} />
          <Fact k="Memory" v={formatBytes(last.memoryBytes)} />
        </dl>
      )}
      {charts}
    </section>
  );
}

function Fact({ k, v }: { k: string; v: string }) {
  return (
    <div className="fact">
      <dt>{k}</dt>
      <dd>{v}</dd>
    </div>
  );
}
