// What the worker holds between messages. Tensors live only here, never in messages.
import type { ParsedTable } from '../../data';
import type { FileSource } from '../../model/checkpoint';
import type { BertConfig, BertModel } from '../../model';
import type { BertTokenizer } from '../../tokenizer';
import type { SequenceClassifier } from '../classifier';
import type { TrainControl } from '../loop';
import type { EvalReport, FromWorker, ModelInfo, TrainSettings } from '../protocol';

export interface LoadedBase {
  source: FileSource;
  info: ModelInfo;
  config: BertConfig;
  tokenizer: BertTokenizer;
}

export interface TrainedModel {
  model: SequenceClassifier;
  tokenizer: BertTokenizer;
  labels: string[];
  /** Null for a model adopted from the library. */
  settings: TrainSettings | null;
  baseId: string;
  report: EvalReport | null;
  datasetName: string;
  trainRows: number;
  /** Multi-label: one decision threshold for every label, tuned on the validation rows. */
  threshold?: number;
}

/** A token-cls or qa model (trained here or adopted from the library); one of trained / trainedTask is set. */
export interface TrainedTaskModel {
  kind: 'token-cls' | 'qa';
  model: BertModel;
  tokenizer: BertTokenizer;
  /** Tag names (token-cls); empty for qa. */
  labels: string[];
  settings: TrainSettings | null;
  maxLength: number;
  baseId: string;
  report: EvalReport | null;
  datasetName: string;
  trainRows: number;
}

/** Embeddings of the loaded dataset, for the map, similarity search and download. */
export interface Embedded {
  /** [n * dim], row-major, row i = data row i + 1. */
  vectors: Float32Array;
  n: number;
  dim: number;
  texts: string[];
  labels: string[] | null;
  maxLength: number;
}

export interface WorkerState {
  table: ParsedTable | null;
  fileName: string;
  /** A separate validation file (loadValidation); cleared when another training file loads. */
  validTable: ParsedTable | null;
  validFileName: string;
  /** A separate test file (loadValidation with role 'test'), evaluated once after training; cleared likewise. */
  testTable?: ParsedTable | null;
  testFileName?: string;
  base: LoadedBase | null;
  trained: TrainedModel | null;
  trainedTask: TrainedTaskModel | null;
  /** The loaded model's encoder, kept for embedding queries; freed when another model loads. */
  embedder: { base: LoadedBase; model: BertModel } | null;
  embedded: Embedded | null;
  control: TrainControl | null;
}

export type Post = (msg: FromWorker, transfer?: Transferable[]) => void;

export function newState(): WorkerState {
  return {
    table: null,
    fileName: '',
    validTable: null,
    validFileName: '',
    base: null,
    trained: null,
    trainedTask: null,
    embedder: null,
    embedded: null,
    control: null,
  };
}

/** Frees whatever model predicts now (classifier or task model) before another takes its place. */
export function dropTrained(state: WorkerState): void {
  state.trained?.model.dispose();
  state.trained = null;
  state.trainedTask?.model.dispose();
  state.trainedTask = null;
}
