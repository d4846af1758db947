// The studio's steps and when each becomes reachable; pure so tests can check the rules.
import type { ToWorker } from '../train/protocol';

export const STEPS = ['data', 'model', 'train', 'evaluate', 'try', 'export'] as const;
export type StepId = (typeof STEPS)[number];
/** Errors are shown next to the step whose request failed; 'engine' is the worker itself. */
export type ErrorPlace = StepId | 'engine';

export const STEP_TITLES: Record<StepId, string> = {
  data: 'Data',
  model: 'Model',
  train: 'Train',
  evaluate: 'Evaluate',
  try: 'Try',
  export: 'Export',
};

export interface StepInputs {
  datasetReady: boolean;
  mappingComplete: boolean;
  modelReady: boolean;
  /** The loaded model has a task head: fine-tuned here or loaded from the library. */
  modelPredicts: boolean;
  hasReport: boolean;
}

export function stepAvailable(step: StepId, s: StepInputs): boolean {
  switch (step) {
    case 'data':
    case 'model':
      return true;
    case 'train':
      return s.datasetReady && s.mappingComplete && s.modelReady;
    case 'evaluate':
      return s.hasReport;
    case 'try':
    case 'export':
      return s.modelReady && s.modelPredicts;
  }
}

/** What the user still has to do before a step opens, in words. */
export function stepBlocker(step: StepId, s: StepInputs): string | null {
  if (stepAvailable(step, s)) return null;
  if (step === 'train') {
    if (!s.datasetReady) return 'Load a dataset first.';
    if (!s.mappingComplete) return 'Choose the columns the task needs in the Data step.';
    return 'Load a model first.';
  }
  if (step === 'evaluate') return 'Train a model to see its evaluation.';
  return 'Train a model or load a saved one first.';
}

export function errorPlace(during: ToWorker['type'] | undefined): ErrorPlace {
  switch (during) {
    case 'loadDataset':
    case 'loadValidation':
    case 'datasetStats':
      return 'data';
    case 'loadModel':
    case 'listLibrary':
    case 'deleteModel':
    case 'renameModel':
    case 'cacheInfo':
    case 'clearCache':
      return 'model';
    case 'train':
    case 'stop':
    case 'pause':
    case 'resume':
    case 'listCheckpoints':
    case 'deleteCheckpoint':
      return 'train';
    case 'predict':
    case 'predictBatch':
    case 'embedDataset':
    case 'similar':
    case 'exportEmbeddings':
      return 'try';
    case 'saveModel':
    case 'exportModel':
      return 'export';
    case 'init':
    case undefined:
      return 'engine';
  }
}
