import { useStudio, type TrainOptions } from '../store';
import { Field, SelectField } from './Field';

const SPLITS: { value: TrainOptions['validationSplit']; label: string }[] = [
  { value: 'fraction', label: 'Random stratified (fraction)' },
  { value: 'column', label: 'Split column' },
  { value: 'file', label: 'Separate file' },
];

const HELP: Record<TrainOptions['validationSplit'], string> = {
  fraction: 'A seeded share of each class is held out.',
  column: 'A column saying train, validation (valid, dev) or test for each row; test rows become the test set.',
  file: 'The validation file (and test file, if any) loaded in the Data step, read with the training labels.',
};

/** Where validation rows come from: a random stratified share, a split column or a separate file. */
export function ValidationSplitField() {
  const split = useStudio((s) => s.training.options.validationSplit);
  const splitColumn = useStudio((s) => s.training.options.splitColumn);
  const columns = useStudio((s) => s.dataset.summary?.columns ?? []);
  const validation = useStudio((s) => s.dataset.validation);
  const set = useStudio((s) => s.setOption);
  return (
    <>
      <SelectField
        label="Validation split"
        help={
          split === 'file' && validation?.status !== 'ready'
            ? 'Load a validation file in the Data step first.'
            : HELP[split]
        }
        value={split}
        options={SPLITS}
        onChange={(v) => set('validationSplit', v)}
      />
      {split === 'column' && (
        <Field label="Split column" help="Values: train, validation, valid, dev or test.">
          {({ id, describedBy }) => (
            <select
              id={id}
              aria-describedby={describedBy}
              value={splitColumn ?? ''}
              onChange={(e) => set('splitColumn', e.currentTarget.value || null)}
            >
              <option value="">Choose a column</option>
              {columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
    </>
  );
}
