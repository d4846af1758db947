// The pretrained (or saved) model: what is selected, download progress, and what got loaded.
import type { CachedModelView, LibraryEntry, ModelInfo, ModelSource, TaskKind } from '../train/protocol';
import { getTrainer } from './trainer';
import type { SliceCreator } from './types';

export interface FileProgress {
  loaded: number;
  total: number | null;
}

export interface ModelState {
  /** Catalog or local-server id chosen in the picker; '' while a custom id is typed. */
  selectedId: string;
  customId: string;
  task: TaskKind;
  status: 'idle' | 'loading' | 'ready';
  progress: Record<string, FileProgress>;
  info: ModelInfo | null;
  /** Where the loaded model came from, shown in summaries and run records. */
  sourceLabel: string | null;
  /** The worker's model has a trained head (fine-tuned in this session or loaded from the library). */
  predicts: boolean;
  /** Models saved in this browser, as the worker's library lists them. */
  library: LibraryEntry[];
  /** The hub download cache, as the worker last listed it (null until asked). */
  cache: { models: CachedModelView[]; totalBytes: number } | null;
}

export interface ModelSlice {
  model: ModelState;
  selectModel: (id: string) => void;
  setCustomModelId: (id: string) => void;
  setTask: (task: TaskKind) => void;
  loadModel: (source: ModelSource, label: string) => void;
  refreshLibrary: () => void;
  deleteSavedModel: (id: string) => void;
  renameSavedModel: (id: string, name: string) => void;
  refreshCache: () => void;
  /** Removes one downloaded model from the cache, or every download without an id. */
  clearModelCache: (id?: string) => void;
}

export const DEFAULT_MODEL_ID = 'google/bert_uncased_L-2_H-128_A-2';

export const createModelSlice: SliceCreator<ModelSlice> = (set, get) => ({
  model: {
    selectedId: DEFAULT_MODEL_ID,
    customId: '',
    task: 'seq-cls',
    status: 'idle',
    progress: {},
    info: null,
    sourceLabel: null,
    predicts: false,
    library: [],
    cache: null,
  },
  selectModel: (selectedId) => set((s) => ({ model: { ...s.model, selectedId } })),
  setCustomModelId: (customId) => set((s) => ({ model: { ...s.model, customId } })),
  setTask: (task) => set((s) => ({ model: { ...s.model, task } })),
  loadModel: (source, label) => {
    get().setError('model', null);
    set((s) => ({
      model: { ...s.model, status: 'loading', progress: {}, info: null, sourceLabel: label, predicts: false },
      dataset: { ...s.dataset, stats: null, statsStatus: 'idle' },
    }));
    getTrainer().send({ type: 'loadModel', source });
  },
  refreshLibrary: () => getTrainer().send({ type: 'listLibrary' }),
  deleteSavedModel: (id) => getTrainer().send({ type: 'deleteModel', id }),
  renameSavedModel: (id, name) => getTrainer().send({ type: 'renameModel', id, name }),
  refreshCache: () => getTrainer().send({ type: 'cacheInfo' }),
  clearModelCache: (id) => {
    get().setError('model', null);
    getTrainer().send(id === undefined ? { type: 'clearCache' } : { type: 'clearCache', id });
  },
});

/** Bytes loaded over bytes expected, or null while some file's size is still unknown. */
export function overallProgress(progress: Record<string, FileProgress>): number | null {
  const files = Object.values(progress);
  if (files.length === 0 || files.some((f) => f.total === null || f.total === 0)) return null;
  const loaded = files.reduce((a, f) => a + f.loaded, 0);
  const total = files.reduce((a, f) => a + (f.total ?? 0), 0);
  return Math.min(1, loaded / total);
}
