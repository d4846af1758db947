// Messages between the page and the trainer worker. Message types only: no logic here.
// Everything is plain, structured-cloneable data: the page never sees a tensor.
import type { BackendName, SkippedBackend } from '../lib/backends';

export type { BackendName, SkippedBackend };

export type TaskKind = 'seq-cls' | 'multi-label' | 'pair-cls' | 'token-cls' | 'qa' | 'embed';
export type FreezeStrategy = 'none' | 'embeddings' | 'lower' | 'encoder';
export type HeadKind = 'linear' | 'mlp';
export type ValidationSplit = 'fraction' | 'column' | 'file';
/** How a data file's bytes become text: 'auto' is UTF-8 with a Windows-1252 fallback. */
export type EncodingChoice = 'auto' | 'utf-8' | 'windows-1252' | 'latin-1';
/** What a second file is for: validation (default) or the held-out test set. */
export type ExtraFileRole = 'validation' | 'test';

export interface TrainSettings {
  task: TaskKind;
  textColumn: string;
  textPairColumn: string | null;
  labelColumn: string;
  epochs: number;
  learningRate: number;
  batchSize: number;
  maxLength: number;
  freeze: FreezeStrategy;
  /** Encoder layers frozen (with the embeddings) when freeze = 'lower'. */
  frozenLayers: number;
  head: HeadKind;
  mlpHidden: number;
  warmupRatio: number;
  weightDecay: number;
  classWeights: 'none' | 'balanced';
  seed: number;
  validFraction: number;
  /**
   * Where the validation rows come from (default 'fraction'): a seeded stratified share of the
   * rows, a split column (train / validation / test), or the separate validation file.
   */
  validationSplit?: ValidationSplit;
  /** The column naming each row's split when validationSplit = 'column'. */
  splitColumn?: string | null;
  /**
   * Share of each class held out as a test set (default 0: none) when validationSplit = 'fraction'.
   * Test rows (this share, a split column's test rows, or the separate test file) are evaluated once
   * after training and never steer it: no early stopping, best weights or threshold tuning.
   */
  testFraction?: number;
  /** Rows the user chose to drop after reading the data warnings (1-based data row numbers). */
  dropRows: number[];
  /** Micro-batches per optimizer update (default 1): halve the batch and double this on out-of-memory. */
  gradAccumSteps?: number;
  /** Token classification: a list of words and a list of tags per row (CoNLL files load as these two). */
  tokensColumn?: string | null;
  tagsColumn?: string | null;
  /** Question answering: the answer is a span of the context; without a start column its first occurrence counts. */
  contextColumn?: string | null;
  questionColumn?: string | null;
  answerColumn?: string | null;
  answerStartColumn?: string | null;
}

/** The columns each task reads besides text / label, as the Data step maps them. */
export type TaskColumns = Required<
  Pick<
    TrainSettings,
    'tokensColumn' | 'tagsColumn' | 'contextColumn' | 'questionColumn' | 'answerColumn' | 'answerStartColumn'
  >
>;

export type ModelSource =
  { kind: 'hub'; id: string; hub: string } | { kind: 'files'; files: File[] } | { kind: 'library'; id: string };

export interface ModelInfo {
  id: string;
  architectures: string[];
  layers: number;
  hiddenSize: number;
  heads: number;
  vocabSize: number;
  maxPositions: number;
  parameters: number;
  sizeBytes: number;
  format: string;
  /** Task and labels when the checkpoint is already fine-tuned (e.g. from the library). */
  task: TaskKind | null;
  labels: string[] | null;
  newlyInitialised: string[];
}

export interface DataWarningView {
  code: string;
  message: string;
  count: number;
  rows: number[];
}

export interface DatasetSummary {
  fileName: string;
  rows: number;
  columns: string[];
  preview: string[][];
  format: string;
  delimiter: string;
  quoting: string;
  encoding: string;
  /** The decoding the user chose (absent: auto-detect). */
  encodingChoice?: EncodingChoice;
  hasHeader: boolean;
  guess: { text: string | null; textPair: string | null; label: string | null };
  /** Guesses for the token-cls and qa columns (a CoNLL file loads as columns "tokens" and "tags"). */
  taskGuess?: TaskColumns;
  warnings: DataWarningView[];
}

export interface DatasetStats {
  labels: { name: string; count: number }[];
  tokenLengths: { p50: number; p90: number; p95: number; p99: number; max: number; suggestedMaxLength: number } | null;
  histogram: { from: number; to: number; count: number }[];
  warnings: DataWarningView[];
}

export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * What the report measures: classes (default), multi-label (accuracy is subset accuracy, weighted
 * holds micro averages), entities (perClass = entity types, seqeval; accuracy = token accuracy,
 * weighted holds micro averages) or qa (extra.exact_match / extra.f1, no classes).
 */
export type ReportKind = 'classes' | 'multi-label' | 'entities' | 'qa';

export interface EvalReport {
  kind?: ReportKind;
  /** Task metrics that have no slot above (exact_match, f1, micro_f1, threshold, ...). */
  extra?: Record<string, number>;
  loss: number;
  accuracy: number;
  perClass: ClassMetrics[];
  macro: Omit<ClassMetrics, 'label'>;
  weighted: Omit<ClassMetrics, 'label'>;
  /** confusion[trueIndex][predictedIndex] */
  confusion: number[][];
  labels: string[];
}

export interface Misclassified {
  row: number;
  text: string;
  textPair: string | null;
  trueLabel: string;
  predictedLabel: string;
  probabilities: number[];
}

export interface StepEvent {
  type: 'step';
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number;
  learningRate: number;
  gradNorm: number;
  samplesPerSec: number;
  elapsedSec: number;
  etaSec: number;
  memoryBytes: number;
}

export interface EpochEndEvent {
  type: 'epochEnd';
  epoch: number;
  trainLoss: number;
  valid: EvalReport;
}

/** A hub model kept in the browser's download cache. */
export interface CachedModelView {
  id: string;
  hub: string;
  sizeBytes: number;
}

/** A model saved in the browser's library (IndexedDB). */
export interface LibraryEntry {
  id: string;
  name: string;
  baseModel: string;
  task: string;
  labels: string[];
  metrics: Record<string, number>;
  createdAt: string;
  sizeBytes: number;
}

export interface EntitySpan {
  type: string;
  /** Character span [start, end) in the text. */
  start: number;
  end: number;
  text: string;
}

export interface AnswerSpan {
  text: string;
  /** Character span [start, end) in the context. */
  start: number;
  end: number;
  /** start_logit + end_logit of the span. */
  score: number;
}

export interface Prediction {
  labels: string[];
  probabilities: number[];
  predicted: string;
  /** Multi-label: the labels whose probability is above `threshold` (tuned on validation). */
  predictedLabels?: string[];
  threshold?: number;
  /** Token classification: the entities found in the text. */
  entities?: EntitySpan[];
  /** Question answering: the answer span in the context. */
  answer?: AnswerSpan;
}

/** A dataset row near a query in embedding space. */
export interface SimilarRow {
  /** 1-based data row. */
  row: number;
  text: string;
  label: string | null;
  score: number;
}

/** Which file a run was trained on: enough to tell the same file from another after a reload. */
export interface DatasetIdentity {
  name: string;
  sizeBytes: number;
  /** Hash of the first MB (hex). */
  headHash: string;
}

/** How to load a run's base model again: hub and library ids reload alone, picked files need picking again. */
export type ModelDescriptor =
  { kind: 'hub'; id: string; hub: string } | { kind: 'library'; id: string } | { kind: 'files'; names: string[] };

/** A resumable training run saved in the browser (the latest checkpoint of that run). */
export interface CheckpointInfo {
  runId: string;
  savedAt: number;
  /** Epochs completed, and micro-batches of the next one already trained. */
  epoch: number;
  batchInEpoch: number;
  step: number;
  settings: TrainSettings;
  labels: string[];
  dataset: DatasetIdentity | null;
  model: ModelDescriptor | null;
  modelId: string;
  history: { epoch: number; trainLoss: number; valid: EvalReport | null }[];
  sizeBytes: number;
}

export type ToWorker =
  /** `wasmThreads` forces WASM threads on/off; without it the worker decides from the machine. */
  | { type: 'init'; backend?: BackendName; wasmPaths: Record<string, string>; wasmThreads?: boolean }
  | { type: 'loadDataset'; file: File | { name: string; text: string }; encoding?: EncodingChoice }
  /**
   * A separate validation file: its rows validate the next runs (with the training file's labels).
   * With role 'test' it is the held-out test file instead.
   */
  | {
      type: 'loadValidation';
      file: File | { name: string; text: string };
      role?: ExtraFileRole;
      encoding?: EncodingChoice;
    }
  | { type: 'datasetStats'; textColumn: string; textPairColumn: string | null; labelColumn: string }
  | { type: 'loadModel'; source: ModelSource }
  /** `runId` names the run's checkpoints; `resume` continues that run from its latest checkpoint. */
  | { type: 'train'; settings: TrainSettings; runId?: string; resume?: string }
  | { type: 'listCheckpoints' }
  | { type: 'deleteCheckpoint'; runId: string }
  | { type: 'stop' }
  | { type: 'pause' }
  | { type: 'resume' }
  /** For qa, `text` is the question and `textPair` the context. */
  | { type: 'predict'; requestId: number; text: string; textPair: string | null }
  | { type: 'predictBatch'; file: File | { name: string; text: string } }
  | { type: 'saveModel'; name: string }
  | { type: 'exportModel' }
  | { type: 'listLibrary' }
  | { type: 'deleteModel'; id: string }
  | { type: 'renameModel'; id: string; name: string }
  /** The hub download cache: list it, or remove one model (by id) or everything. */
  | { type: 'cacheInfo' }
  | { type: 'clearCache'; id?: string }
  /** Sentence embeddings of one column with the loaded model's encoder (mean pooling). */
  | { type: 'embedDataset'; textColumn: string; labelColumn: string | null; maxLength?: number }
  | { type: 'similar'; requestId: number; text: string }
  | { type: 'exportEmbeddings'; format: 'csv' | 'npy' };

export type FromWorker =
  | { type: 'ready'; backend: BackendName; skipped: SkippedBackend[]; notes: string[] }
  | { type: 'datasetProgress'; bytesDone: number; bytesTotal: number | null }
  | { type: 'datasetLoaded'; summary: DatasetSummary }
  | { type: 'datasetStats'; stats: DatasetStats }
  | {
      type: 'validationLoaded';
      fileName: string;
      rows: number;
      columns: string[];
      /** 'test' for a test file. */
      role?: ExtraFileRole;
    }
  | { type: 'modelProgress'; file: string; loaded: number; total: number | null }
  | { type: 'modelLoaded'; info: ModelInfo }
  | StepEvent
  | EpochEndEvent
  | { type: 'best'; epoch: number; metric: string; value: number }
  | { type: 'paused' }
  | {
      type: 'done';
      stopped: boolean;
      bestEpoch: number;
      report: EvalReport | null;
      misclassified: Misclassified[];
      labels: string[];
      /** The held-out test rows, evaluated once with the final (best) weights; absent without a test set. */
      test?: EvalReport | null;
    }
  | { type: 'prediction'; requestId: number; prediction: Prediction }
  | { type: 'batchPrediction'; csv: string; rows: number }
  | { type: 'saved'; id: string; name: string }
  | { type: 'library'; models: LibraryEntry[] }
  | { type: 'cache'; models: CachedModelView[]; totalBytes: number }
  | { type: 'exported'; fileName: string; zip: Uint8Array }
  | { type: 'checkpointSaved'; runId: string; epoch: number; step: number; sizeBytes: number }
  | { type: 'checkpoints'; runs: CheckpointInfo[] }
  /** Something failed that training survives (e.g. a checkpoint could not be written). */
  | { type: 'warning'; message: string; during?: ToWorker['type'] }
  /** The GPU device (or WebGL context) was lost: the page restarts the worker on another backend. */
  | { type: 'deviceLost'; backend: BackendName; message: string }
  /** Sent by TrainerClient, not the worker: the worker crashed or stopped answering. */
  | { type: 'workerLost'; reason: 'crashed' | 'unresponsive'; message: string }
  | { type: 'heartbeat' }
  | { type: 'embedProgress'; done: number; total: number }
  /** The PCA map of the embedded rows: points[i] is row i + 1. */
  | { type: 'embedded'; points: [number, number][]; labels: string[] | null; texts: string[]; dim: number }
  | { type: 'similar'; requestId: number; rows: SimilarRow[] }
  | { type: 'embeddingsExported'; fileName: string; bytes: Uint8Array }
  | { type: 'error'; message: string; during?: ToWorker['type']; kind?: string };

export type ReadyEvent = Extract<FromWorker, { type: 'ready' }>;

export function assertNever(x: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(x)}`);
}
