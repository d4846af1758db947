import { useStudio, type ColumnMapping as Mapping } from '../store';
import { Field } from './Field';

const FIELDS: { key: keyof Mapping; label: string; optional: boolean; help: string }[] = [
  { key: 'text', label: 'Text column', optional: false, help: 'The text the model reads.' },
  { key: 'textPair', label: 'Second text column', optional: true, help: 'Only for sentence pairs and QA.' },
  { key: 'label', label: 'Label column', optional: false, help: 'What the model learns to predict.' },
];

/** Which column is which, pre-filled from the worker's guess. */
export function ColumnMapping() {
  const columns = useStudio((s) => s.dataset.summary?.columns ?? []);
  const mapping = useStudio((s) => s.dataset.mapping);
  const setMapping = useStudio((s) => s.setMapping);
  return (
    <div className="grid-3" role="group" aria-label="Column mapping">
      {FIELDS.map((f) => (
        <Field key={f.key} label={f.label} help={f.help}>
          {({ id, describedBy }) => (
            <select
              id={id}
              aria-describedby={describedBy}
              value={mapping[f.key] ?? ''}
              onChange={(e) => setMapping({ [f.key]: e.currentTarget.value || null })}
            >
              <option value="">{f.optional ? '(none)' : 'Choose a column…'}</option>
              {columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          )}
        </Field>
      ))}
    </div>
  );
}
