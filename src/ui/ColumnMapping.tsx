import { taskColumnKeys, useStudio, type ColumnMapping as Mapping } from '../store';
import { Field } from './Field';

const FIELDS: Record<keyof Mapping, { label: string; help: string }> = {
  text: { label: 'Text column', help: 'The text the model reads.' },
  textPair: { label: 'Second text column', help: 'The second sentence of each pair.' },
  label: { label: 'Label column', help: 'What the model learns to predict.' },
  tokens: { label: 'Tokens column', help: 'The words of each sentence (a CoNLL file loads as "tokens").' },
  tags: { label: 'Tags column', help: 'One BIO tag per word (B-person, I-person, O).' },
  context: { label: 'Context column', help: 'The passage that holds the answer.' },
  question: { label: 'Question column', help: 'The question about the context.' },
  answer: { label: 'Answer column', help: 'The answer, copied exactly from the context.' },
  answerStart: {
    label: 'Answer start column',
    help: 'Where the answer starts in the context; without it, its first occurrence counts.',
  },
};

/** Which column is which for the chosen task, pre-filled from the worker's guess. */
export function ColumnMapping() {
  const columns = useStudio((s) => s.dataset.summary?.columns ?? []);
  const mapping = useStudio((s) => s.dataset.mapping);
  const task = useStudio((s) => s.model.task);
  const setMapping = useStudio((s) => s.setMapping);
  const { required, optional } = taskColumnKeys(task);
  const keys = [...required, ...optional];
  return (
    <div className="grid-3" role="group" aria-label="Column mapping">
      {keys.map((key) => {
        const f = FIELDS[key];
        const isOptional = optional.includes(key);
        const help = task === 'embed' && key === 'label' ? 'Optional: colours the map by label.' : f.help;
        return (
          <Field key={key} label={f.label} help={help}>
            {({ id, describedBy }) => (
              <select
                id={id}
                aria-describedby={describedBy}
                value={mapping[key] ?? ''}
                onChange={(e) => setMapping({ [key]: e.currentTarget.value || null })}
              >
                <option value="">{isOptional ? '(none)' : 'Choose a column…'}</option>
                {columns.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            )}
          </Field>
        );
      })}
    </div>
  );
}
