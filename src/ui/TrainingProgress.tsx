import { useMemo } from 'react';
import { currentRun, useStudio, type EpochPoint } from '../store';
import { downsample } from './charts/downsample';
import { EpochChart } from './charts/EpochChart';
import { LossChart } from './charts/LossChart';
import { LrChart } from './charts/LrChart';
import { formatBytes, formatDuration, formatPercent } from './format';
import { ProgressBar } from './ProgressBar';
import { useThrottledValue } from './hooks/useThrottledValue';

/** How often the curves redraw while a run streams in; the progress bar and figures follow every update. */
const CHART_INTERVAL_MS = 1000;
/** Points drawn per curve: enough for the shape, few enough to redraw in a few milliseconds. */
const MAX_DRAWN_POINTS = 240;
const NO_EPOCHS: EpochPoint[] = [];

/** Live view of the current run: progress, speed, time left, and the curves. */
export function TrainingProgress() {
  const run = useStudio((s) => currentRun(s.project));
  const last = useStudio((s) => s.training.last);
  const backend = useStudio((s) => (s.backend.status === 'ready' ? s.backend.name : s.backend.status));
  const drawn = useMemo(() => downsample(run?.steps ?? [], MAX_DRAWN_POINTS), [run?.steps]);
  // One beat per chart, a third of a second apart, so no two redraw (or first draw) in one task.
  const steps = useThrottledValue(drawn, CHART_INTERVAL_MS, 0);
  const epochPoints = useThrottledValue(run?.epochs ?? NO_EPOCHS, CHART_INTERVAL_MS, CHART_INTERVAL_MS / 3);
  const lrSteps = useThrottledValue(drawn, CHART_INTERVAL_MS, (2 * CHART_INTERVAL_MS) / 3);
  // The same element while the points are unchanged, so the per-step renders skip the charts.
  const charts = useMemo(
    () => (
      // Keyed, so the charts stay mounted when the first run replaces the empty state.
      <div className="grid-2" key="charts">
        <LossChart points={steps ?? []} pending={!steps} />
        <EpochChart points={epochPoints ?? []} pending={!epochPoints} />
        <LrChart points={lrSteps ?? []} pending={!lrSteps} />
      </div>
    ),
    [steps, lrSteps, epochPoints],
  );
  // Without a run the section still holds the (empty) charts: a chart's first draw is its most
  // expensive (recharts sets up its store), so it happens when the step opens, not when training starts.
  if (!run)
    return (
      <section className="card stack" role="region" aria-label="Training progress">
        <h3>Live curves</h3>
        <p className="muted small">Loss, validation metrics and the learning rate appear here as the model trains.</p>
        {charts}
      </section>
    );
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
