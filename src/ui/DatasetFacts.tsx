import type { DatasetSummary } from '../train/protocol';
import { describeDelimiter } from './format';

/** What the parser found: format, delimiter, quoting, encoding and header, so surprises show. */
export function DatasetFacts({ summary }: { summary: DatasetSummary }) {
  const facts: [string, string][] = [
    ['File', summary.fileName],
    ['Rows', summary.rows.toLocaleString()],
    ['Columns', String(summary.columns.length)],
    ['Format', summary.format],
    ['Delimiter', describeDelimiter(summary.delimiter)],
    ['Quoting', summary.quoting],
    ['Encoding', `${summary.encoding} (${summary.encodingChoice ? 'chosen' : 'detected'})`],
    ['Header row', summary.hasHeader ? 'yes' : 'no (columns numbered)'],
  ];
  return (
    <dl className="facts" aria-label="Dataset facts">
      {facts.map(([k, v]) => (
        <div key={k} className="fact">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
