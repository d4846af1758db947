import { currentRun, headlineEpoch, useStudio } from '../store';
import { formatDuration, formatLearningRate, formatMetric, formatPercent } from './format';

/** What was trained and how well: the settings and the headline metrics of the current run. */
export function RunSummary() {
  const run = useStudio((s) => currentRun(s.project));
  const report = useStudio((s) => s.results.report);
  if (!run) return <p className="muted">This model was not trained in this session.</p>;
  const s = run.settings;
  const e = headlineEpoch(run);
  const facts: [string, string][] = [
    ['Run', `Run ${run.number} (${run.status})`],
    ['Model', run.modelLabel],
    ['Dataset', run.datasetName],
    ['Task', s.task],
    ['Columns', [s.textColumn, s.textPairColumn, s.labelColumn].filter(Boolean).join(' · ')],
    ['Epochs', String(s.epochs)],
    ['Learning rate', formatLearningRate(s.learningRate)],
    ['Batch size', String(s.batchSize)],
    ['Max length', String(s.maxLength)],
    ['Freezing', s.freeze === 'lower' ? `embeddings + ${s.frozenLayers} layers` : s.freeze],
    ['Head', s.head],
    ['Class weights', s.classWeights],
    ['Warmup / weight decay', `${s.warmupRatio} / ${s.weightDecay}`],
    ['Seed / validation', `${s.seed} / ${formatPercent(s.validFraction, 0)}`],
    ['Best epoch', run.bestEpoch === null ? '–' : String(run.bestEpoch)],
    ['Valid loss', e ? formatMetric(e.validLoss) : '–'],
    ['Accuracy', report ? formatPercent(report.accuracy) : e ? formatPercent(e.accuracy) : '–'],
    ['Macro F1', report ? formatMetric(report.macro.f1) : e ? formatMetric(e.macroF1) : '–'],
    ['Training time', formatDuration(run.elapsedSec)],
  ];
  return (
    <dl className="facts" aria-label="Run summary">
      {facts.map(([k, v]) => (
        <div key={k} className="fact">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
