import type { ModelInfo } from '../train/protocol';
import { formatBytes, formatCount } from './format';

/** The loaded checkpoint's shape and size. */
export function ModelInfoCard({ info }: { info: ModelInfo }) {
  const facts: [string, string][] = [
    ['Model', info.id],
    ['Architecture', info.architectures.join(', ') || '–'],
    ['Layers', String(info.layers)],
    ['Hidden size', String(info.hiddenSize)],
    ['Attention heads', String(info.heads)],
    ['Vocabulary', info.vocabSize.toLocaleString()],
    ['Max positions', String(info.maxPositions)],
    ['Parameters', formatCount(info.parameters)],
    ['Size', formatBytes(info.sizeBytes)],
    ['Format', info.format],
  ];
  if (info.task) facts.push(['Fine-tuned for', `${info.task}${info.labels ? ` (${info.labels.join(', ')})` : ''}`]);
  return (
    <div className="stack">
      <dl className="facts" aria-label="Model facts">
        {facts.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {info.newlyInitialised.length > 0 && (
        <p className="muted small">
          Newly initialised (trained from scratch during fine-tuning): {info.newlyInitialised.slice(0, 6).join(', ')}
          {info.newlyInitialised.length > 6 && ` and ${info.newlyInitialised.length - 6} more`}.
        </p>
      )}
    </div>
  );
}
