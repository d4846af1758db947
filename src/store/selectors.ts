// Derived values the UI reads in several places.
import type { StepInputs } from './steps';
import { mappingComplete } from './taskColumns';
import type { StudioState } from './types';

export function selectStepInputs(s: StudioState): StepInputs {
  const { dataset, model, results } = s;
  return {
    datasetReady: dataset.inWorker && dataset.summary !== null,
    mappingComplete: mappingComplete(model.task, dataset.mapping),
    modelReady: model.status === 'ready',
    // Embeddings need no training: any loaded encoder maps the dataset.
    modelPredicts: model.predicts || model.task === 'embed',
    hasReport: results.report !== null,
  };
}
