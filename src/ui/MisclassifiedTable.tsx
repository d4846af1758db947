import { useDeferredValue, useMemo, useState } from 'react';
import type { Misclassified } from '../train/protocol';
import { Field } from './Field';
import { formatPercent } from './format';

const SHOWN = 100;

/** Validation rows the model got wrong, with its probabilities; filter by label and text. */
export function MisclassifiedTable({ rows, labels }: { rows: Misclassified[]; labels: string[] }) {
  const [trueLabel, setTrue] = useState('');
  const [predicted, setPredicted] = useState('');
  const [query, setQuery] = useState('');
  const q = useDeferredValue(query.trim().toLowerCase());
  const filtered = useMemo(
    () =>
      rows.filter(
        (r) =>
          (!trueLabel || r.trueLabel === trueLabel) &&
          (!predicted || r.predictedLabel === predicted) &&
          (!q || r.text.toLowerCase().includes(q) || (r.textPair ?? '').toLowerCase().includes(q)),
      ),
    [rows, trueLabel, predicted, q],
  );
  const labelSelect = (label: string, value: string, set: (v: string) => void) => (
    <Field label={label}>
      {({ id }) => (
        <select id={id} value={value} onChange={(e) => set(e.currentTarget.value)}>
          <option value="">All</option>
          {labels.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <div className="stack">
      <div className="grid-3">
        {labelSelect('True label', trueLabel, setTrue)}
        {labelSelect('Predicted label', predicted, setPredicted)}
        <Field label="Search text">
          {({ id }) => <input id={id} type="search" value={query} onChange={(e) => setQuery(e.currentTarget.value)} />}
        </Field>
      </div>
      <p className="muted small" role="status">
        {filtered.length.toLocaleString()} of {rows.length.toLocaleString()} misclassified rows
        {filtered.length > SHOWN && ` (first ${SHOWN} shown)`}
      </p>
      <div className="table-wrap">
        <table className="table" aria-label="Misclassified rows">
          <thead>
            <tr>
              <th scope="col" className="num">
                Row
              </th>
              <th scope="col">Text</th>
              <th scope="col">True</th>
              <th scope="col">Predicted</th>
              <th scope="col">Probabilities</th>
            </tr>
          </thead>
          <tbody>
            {filtered.slice(0, SHOWN).map((r) => (
              <tr key={r.row}>
                <td className="num muted">{r.row}</td>
                <td className="text-cell">
                  {r.text}
                  {r.textPair !== null && <span className="muted"> ⟂ {r.textPair}</span>}
                </td>
                <td>{r.trueLabel}</td>
                <td>{r.predictedLabel}</td>
                <td className="probs">
                  {labels.map((l, i) => `${l} ${formatPercent(r.probabilities[i] ?? NaN, 0)}`).join(' · ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
