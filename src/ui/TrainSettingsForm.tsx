import { DEFAULT_OPTIONS, isTrainingActive, useStudio, type TrainOptions } from '../store';
import { NumberField, SelectField } from './Field';
import { formatLearningRate } from './format';
import { ValidationSplitField } from './ValidationSplitField';

const FREEZE: { value: TrainOptions['freeze']; label: string }[] = [
  { value: 'none', label: 'Train everything' },
  { value: 'lower', label: 'Freeze embeddings + lower N layers' },
  { value: 'encoder', label: 'Freeze encoder, train head only' },
  { value: 'embeddings', label: 'Freeze embeddings only' },
];
const CLASS_WEIGHTS: { value: TrainOptions['classWeights']; label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'balanced', label: 'Balanced' },
];
const HEADS: { value: TrainOptions['head']; label: string }[] = [
  { value: 'linear', label: 'Linear' },
  { value: 'mlp', label: 'MLP' },
];

type NumericOption = { [K in keyof TrainOptions]: TrainOptions[K] extends number ? K : never }[keyof TrainOptions];

interface NumberSpec {
  key: NumericOption;
  label: string;
  help?: string;
  min: number;
  max?: number;
  step: number | 'any';
  format?: (v: number) => string;
}

/** Hyperparameters with sensible defaults and one line of help each. */
export function TrainSettingsForm() {
  const o = useStudio((s) => s.training.options);
  const layers = useStudio((s) => s.model.info?.layers ?? 12);
  const maxPositions = useStudio((s) => s.model.info?.maxPositions ?? 512);
  const disabled = useStudio((s) => isTrainingActive(s.training.status));
  const set = useStudio((s) => s.setOption);
  const numbers: NumberSpec[] = [
    { key: 'epochs', label: 'Epochs', help: 'Passes over the training rows.', min: 1, max: 100, step: 1 },
    {
      key: 'learningRate',
      label: 'Learning rate',
      help: '5e-5 when training everything, 1e-3 for a head alone.',
      min: 0,
      step: 'any',
      format: formatLearningRate,
    },
    {
      key: 'batchSize',
      label: 'Batch size',
      help: 'Examples per step; lower it if memory runs out.',
      min: 1,
      max: 512,
      step: 1,
    },
    {
      key: 'gradAccumSteps',
      label: 'Gradient accumulation',
      help: 'Batches per update: the same effective batch in less memory.',
      min: 1,
      max: 64,
      step: 1,
    },
    {
      key: 'maxLength',
      label: 'Max sequence length',
      help: 'Longer texts are truncated; suggested from the data.',
      min: 8,
      max: maxPositions,
      step: 1,
    },
    {
      key: 'warmupRatio',
      label: 'Warmup ratio',
      help: 'Share of steps with a rising learning rate.',
      min: 0,
      max: 0.5,
      step: 0.01,
    },
    { key: 'weightDecay', label: 'Weight decay', help: 'AdamW decoupled weight decay.', min: 0, max: 1, step: 0.001 },
  ];
  const after: NumberSpec[] = [
    ...(o.head === 'mlp' ? [{ key: 'mlpHidden', label: 'MLP hidden size', min: 8, max: 4096, step: 1 } as const] : []),
    { key: 'seed', label: 'Seed', help: 'Same seed, same split and same result.', min: 0, step: 1 },
    ...(o.validationSplit === 'fraction'
      ? [
          {
            key: 'validFraction',
            label: 'Validation fraction',
            help: 'Rows held out to measure progress.',
            min: 0.01,
            max: 0.5,
            step: 0.01,
          } as const,
          {
            key: 'testFraction',
            label: 'Test fraction',
            help: 'Rows evaluated once after training (0: no test set).',
            min: 0,
            max: 0.5,
            step: 0.01,
          } as const,
        ]
      : []),
  ];
  const field = ({ key, ...f }: NumberSpec) => (
    <NumberField key={key} {...f} value={o[key]} onChange={(v) => set(key, v)} />
  );
  return (
    <fieldset className="settings" disabled={disabled}>
      <legend className="visually-hidden">Training settings</legend>
      <div className="grid-3">
        <SelectField
          label="Freezing strategy"
          help="Freezing trains faster and needs less data, at some accuracy."
          value={o.freeze}
          options={FREEZE}
          onChange={(v) => set('freeze', v)}
        />
        <NumberField
          label="Frozen layers"
          help={`Lower encoder layers frozen (of ${layers}).`}
          value={o.frozenLayers}
          min={0}
          max={layers}
          step={1}
          disabled={o.freeze !== 'lower'}
          onChange={(v) => set('frozenLayers', v)}
        />
        {numbers.map(field)}
        <SelectField
          label="Class weights"
          help="Balanced weights make rare classes count as much as common ones."
          value={o.classWeights}
          options={CLASS_WEIGHTS}
          onChange={(v) => set('classWeights', v)}
        />
        <SelectField
          label="Classifier head"
          help="A linear layer is the BERT default; an MLP adds a hidden layer."
          value={o.head}
          options={HEADS}
          onChange={(v) => set('head', v)}
        />
        <ValidationSplitField />
        {after.map(field)}
      </div>
      <p className="help">
        Defaults: {DEFAULT_OPTIONS.epochs} epochs, batch {DEFAULT_OPTIONS.batchSize}, warmup{' '}
        {DEFAULT_OPTIONS.warmupRatio}, weight decay {DEFAULT_OPTIONS.weightDecay}, seed {DEFAULT_OPTIONS.seed}.
      </p>
    </fieldset>
  );
}
