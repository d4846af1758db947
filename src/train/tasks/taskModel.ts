// Builds a token-cls or qa BertModel from a Hugging Face model folder, as
// BertFor{TokenClassification,QuestionAnswering}.from_pretrained(num_labels=..., id2label=...,
// ignore_mismatched_sizes=True) does: encoder weights from the checkpoint, a fresh (seeded) head
// where the checkpoint has none or one of another size. Also the config.json to save it with.
import { loadBertFromWeights, type BertConfig, type BertModel, type LoadReport } from '../../model';
import { loadCheckpoint, type FileSource } from '../../model/checkpoint';
import type { BertTokenizer } from '../../tokenizer';
import { readConfig, readTokenizer } from '../loadModel';

export type TaskHead = 'token-cls' | 'qa';

export interface LoadedTaskModel {
  model: BertModel;
  tokenizer: BertTokenizer;
  config: BertConfig;
  report: LoadReport;
  /** Tag names by id (token-cls); empty for qa. */
  labels: string[];
}

/** id2label values in id order, or null when the config has none. */
export function labelsFromConfig(config: BertConfig): string[] | null {
  const m = config.id2label;
  if (!m || Object.keys(m).length === 0) return null;
  return Object.keys(m)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => m[k]!);
}

/** `labels`: the tag set for token-cls (default: the checkpoint's id2label); ignored for qa. */
export async function loadTaskModel(
  source: FileSource,
  o: { head: TaskHead; labels?: readonly string[]; seed: number },
): Promise<LoadedTaskModel> {
  const [config, tokenizer, { weights }] = await Promise.all([
    readConfig(source),
    readTokenizer(source),
    loadCheckpoint(source),
  ]);
  let labels: string[] = [];
  let cfg = config;
  if (o.head === 'token-cls') {
    const fromConfig = labelsFromConfig(config);
    labels = o.labels ? [...o.labels] : (fromConfig ?? []);
    if (labels.length === 0) throw new Error('token classification needs a tag set (none given, none in config.json)');
    cfg = {
      ...config,
      id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
      label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
    };
  }
  const { model, report } = loadBertFromWeights(cfg, weights, {
    head: o.head,
    numLabels: o.head === 'token-cls' ? labels.length : 2,
    seed: o.seed,
    ignoreMismatchedHead: true,
  });
  return { model, tokenizer, config: cfg, report, labels };
}

/** config.json for a trained task model: HF architecture name, id2label/label2id for token-cls. */
export function taskModelConfig(model: BertModel, labels: readonly string[]): Record<string, unknown> {
  const c = model.exportConfig();
  if (model.head === 'token-cls') {
    c.id2label = Object.fromEntries(labels.map((l, i) => [String(i), l]));
    c.label2id = Object.fromEntries(labels.map((l, i) => [l, i]));
  }
  return Object.fromEntries(Object.entries(c).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
