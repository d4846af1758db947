import { isImbalanced, useStudio } from '../store';
import { LabelChart } from './charts/LabelChart';
import { LengthHistogram } from './charts/LengthHistogram';

/** Label distribution and token lengths (which need the model's tokenizer). */
export function DatasetStatsPanel() {
  const stats = useStudio((s) => s.dataset.stats);
  const status = useStudio((s) => s.dataset.statsStatus);
  const modelReady = useStudio((s) => s.model.status === 'ready');
  const weighted = useStudio((s) => s.training.options.classWeights === 'balanced');
  if (!modelReady && !stats) {
    return (
      <p className="muted">
        Load a model (step 2) to see the label distribution and token lengths: they need its tokenizer.
      </p>
    );
  }
  if (status === 'loading')
    return (
      <p role="status" className="muted">
        Counting labels and tokens…
      </p>
    );
  if (!stats) return null;
  const tl = stats.tokenLengths;
  const imbalanced = isImbalanced(stats.labels);
  const workerFlagged = stats.warnings.some((w) => w.code === 'class-imbalance');
  const counts = stats.labels.map((l) => `${l.name} ${l.count.toLocaleString()}`);
  return (
    <div className="stack" aria-label="Dataset statistics" role="group">
      {stats.warnings.map((w) => (
        <p className="notice" key={w.code}>
          {w.message}
        </p>
      ))}
      {imbalanced && (
        <p className="notice">
          {workerFlagged ? '' : `The labels are imbalanced (${counts.join(' / ')} rows). `}
          {weighted
            ? 'Balanced class weights are switched on in the Train step.'
            : 'Consider balanced class weights.'}{' '}
          The evaluation reports per-class F1, not just accuracy.
        </p>
      )}
      <div className="grid-2">
        <LabelChart labels={stats.labels} />
        {stats.histogram.length > 0 && (
          <LengthHistogram histogram={stats.histogram} suggested={tl?.suggestedMaxLength ?? null} />
        )}
      </div>
      {tl && (
        <p>
          Tokens per example: median <strong>{tl.p50}</strong>, 95th percentile <strong>{tl.p95}</strong>, longest{' '}
          <strong>{tl.max}</strong>. Suggested max length: <strong>{tl.suggestedMaxLength}</strong>.
        </p>
      )}
    </div>
  );
}
