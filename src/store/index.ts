// One zustand store built from slices. The project (dataset summary and mapping, settings, run
// history, saved models, the last evaluation) persists to IndexedDB so a reload loses nothing;
// live state (what the worker holds, progress, pending requests) does not.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { createBackendSlice } from './backendSlice';
import { createDatasetSlice } from './datasetSlice';
import { createEmbedSlice } from './embedSlice';
import { connectWorkerEvents } from './events';
import { createIdbStorage } from './idbStorage';
import { createModelSlice } from './modelSlice';
import { createProjectSlice } from './projectSlice';
import { createRecoverySlice } from './recoverySlice';
import { createResultsSlice } from './resultsSlice';
import { createTrainingSlice } from './trainingSlice';
import type { StudioState } from './types';
import { createUiSlice } from './uiSlice';
import { persistedPart, mergePersisted, type PersistedState } from './persisted';

export type { StudioState } from './types';
export type { StepId, ErrorPlace, StepInputs } from './steps';
export { STEPS, STEP_TITLES, stepAvailable, stepBlocker } from './steps';
export type { ThemeChoice } from './uiSlice';
export type { ColumnMapping, DatasetState } from './datasetSlice';
export type { ModelState, FileProgress } from './modelSlice';
export { overallProgress, DEFAULT_MODEL_ID } from './modelSlice';
export type { TrainOptions, TrainingStatus } from './trainingSlice';
export { DEFAULT_OPTIONS, isTrainingActive } from './trainingSlice';
export type { RunRecord } from './projectSlice';
export { currentRun, headlineEpoch } from './projectSlice';
export type { LossPoint, EpochPoint } from './series';
export { isImbalanced } from './series';
export { selectStepInputs } from './selectors';
export type { RecoveryState } from './recoverySlice';
export { modelSource, nextBackend } from './recoverySlice';
export type { EmbedState } from './embedSlice';
export { mappingComplete, taskColumnKeys } from './taskColumns';

export const useStudio = create<StudioState>()(
  persist(
    (...a) => ({
      ...createBackendSlice(...a),
      ...createUiSlice(...a),
      ...createDatasetSlice(...a),
      ...createModelSlice(...a),
      ...createTrainingSlice(...a),
      ...createResultsSlice(...a),
      ...createProjectSlice(...a),
      ...createRecoverySlice(...a),
      ...createEmbedSlice(...a),
    }),
    {
      name: 'bert-studio-project',
      version: 1,
      storage: createIdbStorage<PersistedState>(),
      partialize: persistedPart,
      merge: (persisted, current) => mergePersisted(persisted, current),
    },
  ),
);

let disconnect: (() => void) | null = null;

/** Subscribes the store to the worker's events; safe to call more than once. */
export function connectStudio(): void {
  disconnect ??= connectWorkerEvents(useStudio);
}

/** Resolves once the persisted project has been read back from IndexedDB. */
export function whenHydrated(): Promise<void> {
  if (useStudio.persist.hasHydrated()) return Promise.resolve();
  return new Promise((resolve) => {
    const off = useStudio.persist.onFinishHydration(() => {
      off();
      resolve();
    });
  });
}
