// The embed task: the dataset's PCA map, the nearest rows of a typed query, and vector downloads.
// Live only (not persisted): the vectors stay in the worker and are computed again after a reload.
import type { SimilarRow } from '../train/protocol';
import { getTrainer } from './trainer';
import type { SliceCreator } from './types';

export interface EmbedState {
  status: 'idle' | 'running' | 'ready';
  progress: { done: number; total: number } | null;
  /** PCA coordinates of every row (row i + 1 of the file), with its label and a text preview. */
  points: [number, number][];
  labels: string[] | null;
  texts: string[];
  dim: number;
  requestId: number;
  /** The latest search text (its results arrive as `similar`). */
  query: string;
  similar: { query: string; rows: SimilarRow[] } | null;
  searching: boolean;
  exported: { fileName: string; bytes: Uint8Array } | null;
}

export interface EmbedSlice {
  embed: EmbedState;
  embedDataset: () => void;
  findSimilar: (text: string) => void;
  exportEmbeddings: (format: 'csv' | 'npy') => void;
}

export const EMPTY_EMBED: EmbedState = {
  status: 'idle',
  progress: null,
  points: [],
  labels: null,
  texts: [],
  dim: 0,
  requestId: 0,
  query: '',
  similar: null,
  searching: false,
  exported: null,
};

export const createEmbedSlice: SliceCreator<EmbedSlice> = (set, get) => {
  const patch = (p: Partial<EmbedState>) => set((s) => ({ embed: { ...s.embed, ...p } }));
  return {
    embed: EMPTY_EMBED,
    embedDataset: () => {
      const { dataset, training } = get();
      const { text, label } = dataset.mapping;
      if (!text) return;
      get().setError('try', null);
      set({ embed: { ...EMPTY_EMBED, status: 'running' } });
      getTrainer().send({
        type: 'embedDataset',
        textColumn: text,
        labelColumn: label,
        maxLength: training.options.maxLength,
      });
    },
    findSimilar: (text) => {
      get().setError('try', null);
      const requestId = get().embed.requestId + 1;
      patch({ requestId, searching: true, query: text });
      getTrainer().send({ type: 'similar', requestId, text });
    },
    exportEmbeddings: (format) => {
      get().setError('try', null);
      patch({ exported: null });
      getTrainer().send({ type: 'exportEmbeddings', format });
    },
  };
};
