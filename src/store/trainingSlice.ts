// Training settings (with sensible defaults and suggestions from the data) and the live run state.
import type { DatasetStats, StepEvent, TaskColumns, TrainSettings, ValidationSplit } from '../train/protocol';
import { defaultLearningRate, isImbalanced } from './series';
import { getTrainer } from './trainer';
import { mappingComplete, settingsColumns } from './taskColumns';
import type { SliceCreator } from './types';

/** Settings the Train step edits; the task, columns and dropped rows come from the other steps. */
export type TrainOptions = Omit<
  TrainSettings,
  | 'task'
  | 'textColumn'
  | 'textPairColumn'
  | 'labelColumn'
  | 'dropRows'
  | 'gradAccumSteps'
  | 'validationSplit'
  | 'splitColumn'
  | 'testFraction'
  | keyof TaskColumns
> & { gradAccumSteps: number; validationSplit: ValidationSplit; splitColumn: string | null; testFraction: number };

export const DEFAULT_OPTIONS: TrainOptions = {
  epochs: 3,
  learningRate: defaultLearningRate('none'),
  batchSize: 16,
  maxLength: 128,
  freeze: 'none',
  frozenLayers: 1,
  head: 'linear',
  mlpHidden: 256,
  warmupRatio: 0.1,
  weightDecay: 0.01,
  classWeights: 'none',
  seed: 42,
  validFraction: 0.1,
  testFraction: 0,
  validationSplit: 'fraction',
  splitColumn: null,
  gradAccumSteps: 1,
};

export type TrainingStatus = 'idle' | 'starting' | 'running' | 'pausing' | 'paused' | 'stopping' | 'done' | 'stopped';

export interface TrainingState {
  options: TrainOptions;
  /** Options the user set by hand: suggestions from the data never overwrite these. */
  touched: (keyof TrainOptions)[];
  status: TrainingStatus;
  last: StepEvent | null;
}

export interface TrainingSlice {
  training: TrainingState;
  setOption: <K extends keyof TrainOptions>(key: K, value: TrainOptions[K]) => void;
  applyStatsSuggestions: (stats: DatasetStats) => void;
  startTraining: () => void;
  stopTraining: () => void;
  pauseTraining: () => void;
  resumeTraining: () => void;
}

export const createTrainingSlice: SliceCreator<TrainingSlice> = (set, get) => {
  const setStatus = (status: TrainingStatus) => set((s) => ({ training: { ...s.training, status } }));
  return {
    training: { options: DEFAULT_OPTIONS, touched: [], status: 'idle', last: null },
    setOption: (key, value) =>
      set((s) => {
        const options = { ...s.training.options, [key]: value };
        const touched = s.training.touched.includes(key) ? s.training.touched : [...s.training.touched, key];
        // A frozen encoder needs a larger step size; follow the strategy until the user picks one.
        if (key === 'freeze' && !touched.includes('learningRate')) {
          options.learningRate = defaultLearningRate(String(value));
        }
        return { training: { ...s.training, options, touched } };
      }),
    applyStatsSuggestions: (stats) =>
      set((s) => {
        const { options, touched } = s.training;
        const next = { ...options };
        const maxPositions = s.model.info?.maxPositions ?? 512;
        if (stats.tokenLengths && !touched.includes('maxLength')) {
          next.maxLength = Math.min(stats.tokenLengths.suggestedMaxLength, maxPositions);
        }
        if (!touched.includes('classWeights')) next.classWeights = isImbalanced(stats.labels) ? 'balanced' : 'none';
        return { training: { ...s.training, options: next } };
      }),
    startTraining: () => {
      const { dataset, model, training } = get();
      const { text, textPair, label } = dataset.mapping;
      if (!mappingComplete(model.task, dataset.mapping)) return;
      const settings: TrainSettings = {
        ...training.options,
        task: model.task,
        textColumn: text ?? '',
        textPairColumn: model.task === 'pair-cls' ? textPair : null,
        labelColumn: label ?? '',
        dropRows: dataset.dropRows,
        ...settingsColumns(dataset.mapping),
      };
      get().setError('train', null);
      const runId = get().beginRun(settings);
      set((s) => ({
        training: { ...s.training, status: 'starting', last: null },
        recovery: { ...s.recovery, lastSaved: null, oom: null },
      }));
      getTrainer().send({ type: 'train', settings, runId });
    },
    stopTraining: () => {
      setStatus('stopping');
      getTrainer().send({ type: 'stop' });
    },
    pauseTraining: () => {
      setStatus('pausing');
      getTrainer().send({ type: 'pause' });
    },
    resumeTraining: () => {
      setStatus('running');
      getTrainer().send({ type: 'resume' });
    },
  };
};

export function isTrainingActive(status: TrainingStatus): boolean {
  return (
    status === 'starting' ||
    status === 'running' ||
    status === 'pausing' ||
    status === 'paused' ||
    status === 'stopping'
  );
}
