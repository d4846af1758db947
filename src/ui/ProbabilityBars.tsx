import type { Prediction } from '../train/protocol';
import { formatPercent } from './format';

/** One bar per class, the predicted one(s) highlighted; sorted most likely first. */
export function ProbabilityBars({ prediction }: { prediction: Prediction }) {
  const rows = prediction.labels
    .map((label, i) => ({ label, p: prediction.probabilities[i] ?? 0 }))
    .sort((a, b) => b.p - a.p);
  // Multi-label: every label above the threshold is a prediction.
  const chosen = prediction.predictedLabels ?? [prediction.predicted];
  return (
    <ul className="prob-bars" aria-label="Class probabilities">
      {rows.map(({ label, p }) => (
        <li key={label} className={chosen.includes(label) ? 'prob-top' : undefined}>
          <span className="prob-label">{label}</span>
          <span className="prob-track" aria-hidden="true">
            <span className="prob-fill" style={{ width: `${(p * 100).toFixed(1)}%` }} />
          </span>
          <span className="prob-value">{formatPercent(p)}</span>
        </li>
      ))}
    </ul>
  );
}
