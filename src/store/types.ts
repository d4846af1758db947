// The whole store's type, and the creator type each slice uses (one store built from slices).
import type { StateCreator } from 'zustand';
import type { BackendSlice } from './backendSlice';
import type { DatasetSlice } from './datasetSlice';
import type { EmbedSlice } from './embedSlice';
import type { ModelSlice } from './modelSlice';
import type { ProjectSlice } from './projectSlice';
import type { RecoverySlice } from './recoverySlice';
import type { ResultsSlice } from './resultsSlice';
import type { TrainingSlice } from './trainingSlice';
import type { UiSlice } from './uiSlice';

export type StudioState = BackendSlice &
  UiSlice &
  DatasetSlice &
  ModelSlice &
  TrainingSlice &
  ResultsSlice &
  ProjectSlice &
  RecoverySlice &
  EmbedSlice;

export type SliceCreator<T> = StateCreator<StudioState, [['zustand/persist', unknown]], [], T>;
