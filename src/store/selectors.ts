// Derived values the UI reads in several places.
import type { StepInputs } from './steps';
import type { StudioState } from './types';

export function selectStepInputs(s: StudioState): StepInputs {
  const { dataset, model, results } = s;
  return {
    datasetReady: dataset.inWorker && dataset.summary !== null,
    mappingComplete: Boolean(dataset.mapping.text && dataset.mapping.label),
    modelReady: model.status === 'ready',
    modelPredicts: model.predicts,
    hasReport: results.report !== null,
  };
}
