// The loaded dataset: its summary, column mapping, the user's decision on warnings, and stats.
import type { DatasetStats, DatasetSummary, EncodingChoice } from '../train/protocol';
import { idbDelete, idbGet, idbSet } from './idbStorage';
import { getTrainer } from './trainer';
import type { SliceCreator } from './types';

/** The dataset file itself is kept in IndexedDB under this key so a reload can re-parse it. */
export const DATASET_FILE_KEY = 'dataset-file';

export interface ColumnMapping {
  text: string | null;
  textPair: string | null;
  label: string | null;
  /** Token classification: word list and tag list columns. */
  tokens: string | null;
  tags: string | null;
  /** Question answering: the answer is a span of the context (start optional). */
  context: string | null;
  question: string | null;
  answer: string | null;
  answerStart: string | null;
}

export const EMPTY_MAPPING: ColumnMapping = {
  text: null,
  textPair: null,
  label: null,
  tokens: null,
  tags: null,
  context: null,
  question: null,
  answer: null,
  answerStart: null,
};

export interface DatasetState {
  status: 'empty' | 'parsing' | 'ready';
  /** Share of the file parsed so far, null until the worker reports it. */
  progress: number | null;
  summary: DatasetSummary | null;
  /** The worker holds the parsed rows (false after a reload until the file is parsed again). */
  inWorker: boolean;
  mapping: ColumnMapping;
  warningsDecision: 'pending' | 'drop' | 'keep';
  dropRows: number[];
  stats: DatasetStats | null;
  statsStatus: 'idle' | 'loading' | 'ready';
  /** A reload re-parses the stored file: keep the user's mapping and decisions instead of guessing. */
  restoring: boolean;
  /** The separate validation file the worker holds (not kept across reloads). */
  validation: ValidationFile | null;
  /** The separate test file the worker holds (not kept across reloads). */
  test: ValidationFile | null;
  /** The file is being read again with another encoding (mapping and decisions are kept). */
  rereading: boolean;
}

export interface ValidationFile {
  status: 'loading' | 'ready';
  fileName: string;
  rows: number;
}

export interface DatasetSlice {
  dataset: DatasetState;
  loadDataset: (file: File) => void;
  restoreDataset: () => Promise<void>;
  setMapping: (patch: Partial<ColumnMapping>) => void;
  decideWarnings: (choice: 'drop' | 'keep' | 'stop') => void;
  requestStats: () => void;
  loadValidationFile: (file: File) => void;
  loadTestFile: (file: File) => void;
  /** Reads the dataset file again with `encoding` (the choice is kept with the project). */
  setEncoding: (encoding: EncodingChoice) => void;
}

export const EMPTY_DATASET: DatasetState = {
  status: 'empty',
  progress: null,
  summary: null,
  inWorker: false,
  mapping: EMPTY_MAPPING,
  warningsDecision: 'keep',
  dropRows: [],
  stats: null,
  statsStatus: 'idle',
  restoring: false,
  validation: null,
  test: null,
  rereading: false,
};

/** The user's encoding choice for the loaded file ('auto' unless one was picked). */
export function encodingChoice(summary: DatasetSummary | null): EncodingChoice {
  return summary?.encodingChoice ?? 'auto';
}

export const createDatasetSlice: SliceCreator<DatasetSlice> = (set, get) => ({
  dataset: EMPTY_DATASET,
  loadDataset: (file) => {
    get().setError('data', null);
    set({ dataset: { ...EMPTY_DATASET, status: 'parsing' } });
    void idbSet(DATASET_FILE_KEY, file).catch(() => undefined);
    getTrainer().send({ type: 'loadDataset', file });
  },
  restoreDataset: async () => {
    const { dataset } = get();
    if (!dataset.summary || dataset.inWorker || dataset.restoring) return;
    // Marked before the await: StrictMode runs the startup effect twice.
    set((s) => ({ dataset: { ...s.dataset, restoring: true } }));
    const file = await idbGet<File>(DATASET_FILE_KEY).catch(() => undefined);
    const encoding = encodingChoice(dataset.summary);
    if (file) getTrainer().send({ type: 'loadDataset', file, ...(encoding !== 'auto' ? { encoding } : {}) });
    else set((s) => ({ dataset: { ...s.dataset, restoring: false } }));
  },
  setMapping: (patch) => {
    set((s) => ({ dataset: { ...s.dataset, mapping: { ...s.dataset.mapping, ...patch }, stats: null } }));
    get().requestStats();
  },
  decideWarnings: (choice) => {
    if (choice === 'stop') {
      void idbDelete(DATASET_FILE_KEY).catch(() => undefined);
      set({ dataset: EMPTY_DATASET });
      return;
    }
    set((s) => {
      const rows = choice === 'drop' ? [...new Set(s.dataset.summary?.warnings.flatMap((w) => w.rows) ?? [])] : [];
      return { dataset: { ...s.dataset, warningsDecision: choice, dropRows: rows.sort((a, b) => a - b) } };
    });
  },
  loadValidationFile: (file) => {
    get().setError('data', null);
    set((s) => ({ dataset: { ...s.dataset, validation: { status: 'loading', fileName: file.name, rows: 0 } } }));
    getTrainer().send({ type: 'loadValidation', file, encoding: encodingChoice(get().dataset.summary) });
  },
  loadTestFile: (file) => {
    get().setError('data', null);
    set((s) => ({ dataset: { ...s.dataset, test: { status: 'loading', fileName: file.name, rows: 0 } } }));
    getTrainer().send({ type: 'loadValidation', file, role: 'test', encoding: encodingChoice(get().dataset.summary) });
  },
  setEncoding: (encoding) => {
    const { dataset } = get();
    if (!dataset.summary || !dataset.inWorker || encoding === encodingChoice(dataset.summary)) return;
    get().setError('data', null);
    // 'restoring' keeps the mapping and decisions when the worker answers; the rows stay the same.
    set((s) => ({ dataset: { ...s.dataset, rereading: true, restoring: true } }));
    void idbGet<File>(DATASET_FILE_KEY)
      .catch(() => undefined)
      .then((file) => {
        if (file) getTrainer().send({ type: 'loadDataset', file, encoding });
        else {
          set((s) => ({ dataset: { ...s.dataset, rereading: false, restoring: false } }));
          get().setError('data', `choose ${dataset.summary?.fileName ?? 'the file'} again to read it as ${encoding}`);
        }
      });
  },
  requestStats: () => {
    const { dataset, model } = get();
    const { text, textPair, label } = dataset.mapping;
    // Label counts and text lengths describe classification data; token-cls and qa rows are lists / passages.
    const classifies = model.task !== 'token-cls' && model.task !== 'qa';
    if (!dataset.inWorker || model.status !== 'ready' || !text || !label || !classifies) return;
    set((s) => ({ dataset: { ...s.dataset, statsStatus: 'loading' } }));
    getTrainer().send({ type: 'datasetStats', textColumn: text, textPairColumn: textPair, labelColumn: label });
  },
});
