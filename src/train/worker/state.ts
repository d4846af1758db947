// What the worker holds between messages. Tensors live only here, never in messages.
import type { ParsedTable } from '../../data';
import type { FileSource } from '../../model/checkpoint';
import type { BertConfig } from '../../model';
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
}

export interface WorkerState {
  table: ParsedTable | null;
  fileName: string;
  base: LoadedBase | null;
  trained: TrainedModel | null;
  control: TrainControl | null;
}

export type Post = (msg: FromWorker, transfer?: Transferable[]) => void;

export function newState(): WorkerState {
  return { table: null, fileName: '', base: null, trained: null, control: null };
}
