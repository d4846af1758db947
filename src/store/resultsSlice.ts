// What a trained model produced: the evaluation, predictions, and save/export results.
import type { EvalReport, Misclassified, Prediction } from '../train/protocol';
import { getTrainer } from './trainer';
import type { SliceCreator } from './types';

export interface ResultsState {
  report: EvalReport | null;
  /** 'final' once training is done; otherwise the epoch whose validation the report shows. */
  reportFrom: 'final' | number | null;
  misclassified: Misclassified[];
  bestEpoch: number | null;
  requestId: number;
  prediction: { requestId: number; prediction: Prediction } | null;
  predicting: boolean;
  batch: { status: 'idle' | 'running' | 'done'; csv: string | null; rows: number; fileName: string | null };
  saving: boolean;
  lastSaved: { id: string; name: string } | null;
  exporting: boolean;
  exported: { fileName: string; zip: Uint8Array } | null;
}

export interface ResultsSlice {
  results: ResultsState;
  predict: (text: string, textPair: string | null) => void;
  predictBatch: (file: File) => void;
  saveModel: (name: string) => void;
  exportModel: () => void;
}

export const EMPTY_RESULTS: ResultsState = {
  report: null,
  reportFrom: null,
  misclassified: [],
  bestEpoch: null,
  requestId: 0,
  prediction: null,
  predicting: false,
  batch: { status: 'idle', csv: null, rows: 0, fileName: null },
  saving: false,
  lastSaved: null,
  exporting: false,
  exported: null,
};

export const createResultsSlice: SliceCreator<ResultsSlice> = (set, get) => {
  const patch = (p: Partial<ResultsState>) => set((s) => ({ results: { ...s.results, ...p } }));
  return {
    results: EMPTY_RESULTS,
    predict: (text, textPair) => {
      get().setError('try', null);
      const requestId = get().results.requestId + 1;
      patch({ requestId, predicting: true });
      getTrainer().send({ type: 'predict', requestId, text, textPair });
    },
    predictBatch: (file) => {
      get().setError('try', null);
      patch({ batch: { status: 'running', csv: null, rows: 0, fileName: file.name } });
      getTrainer().send({ type: 'predictBatch', file });
    },
    saveModel: (name) => {
      get().setError('export', null);
      patch({ saving: true });
      getTrainer().send({ type: 'saveModel', name });
    },
    exportModel: () => {
      get().setError('export', null);
      patch({ exporting: true, exported: null });
      getTrainer().send({ type: 'exportModel' });
    },
  };
};
