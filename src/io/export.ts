// Export of a fine-tuned model as a Hugging Face folder (what `save_pretrained` plus
// `tokenizer.save_pretrained` write: config.json, model.safetensors, vocab.txt,
// tokenizer_config.json, special_tokens_map.json) plus a model card, training_args.json and a
// TF.js copy of the weights under tfjs/, zipped into one archive.
import { CheckpointError, writeSafetensors, writeTfjsModel, writeZip, type WeightMap } from '../model/checkpoint';
import type { HeadKind, ProblemType } from '../model';
import { buildModelCard } from './modelCard';

export interface ExportFile {
  name: string;
  data: Uint8Array;
}

export interface HfExportInput {
  /** config.json object (snake_case, e.g. bertConfigToJson(config)); architectures and labels are filled in here. */
  config: Record<string, unknown>;
  /** Hugging Face state-dict names and layouts (Linear weights [out, in]). */
  weights: WeightMap;
  vocabText: string;
  tokenizerConfig?: Record<string, unknown>;
  task: HeadKind;
  /** Sequence classification only; default single-label. */
  problemType?: ProblemType;
  /**
   * Multi-label: the decision threshold tuned on validation (one for every label), written to
   * config.json under STUDIO_CONFIG_KEY so the model predicts the same after a reload.
   */
  threshold?: number | null;
  labels?: string[];
  metrics?: Record<string, number>;
  hyperparameters?: Record<string, unknown>;
  /** Human description, e.g. "embeddings + layers 0-5 frozen". */
  freezing?: string | null;
  dataset?: { name: string; rows: number } | null;
  studioVersion: string;
  baseModel?: string | null;
  modelName?: string;
  date?: Date;
  /** Bytes per TF.js shard (default 4 MiB, as tfjs). */
  tfjsShardBytes?: number;
}

// HF class per head (modeling_bert.py); 'embed' is a BertModel used with mean pooling.
const ARCHITECTURE: Record<HeadKind, string> = {
  base: 'BertModel',
  embed: 'BertModel',
  'seq-cls': 'BertForSequenceClassification',
  'token-cls': 'BertForTokenClassification',
  qa: 'BertForQuestionAnswering',
  mlm: 'BertForMaskedLM',
};

// What HF's BertTokenizer.save_pretrained writes (same keys as the reference's TOKENIZER_CONFIG).
const DEFAULT_TOKENIZER_CONFIG = {
  do_lower_case: true,
  do_basic_tokenize: true,
  tokenize_chinese_chars: true,
  strip_accents: null,
  never_split: null,
  unk_token: '[UNK]',
  sep_token: '[SEP]',
  pad_token: '[PAD]',
  cls_token: '[CLS]',
  mask_token: '[MASK]',
  model_max_length: 512,
  padding_side: 'right',
  truncation_side: 'right',
  clean_up_tokenization_spaces: true,
  tokenizer_class: 'BertTokenizer',
};
const SPECIAL_TOKEN_KEYS = ['unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'] as const;
// HF safetensors omits tied tensors: the MLM decoder shares the word embeddings and cls.predictions.bias.
const TIED = ['cls.predictions.decoder.weight', 'cls.predictions.decoder.bias'];

/**
 * config.json's block for what only the studio uses (`{"bert_studio": {"threshold": 0.35}}`);
 * transformers' PretrainedConfig keeps unknown keys as attributes and ignores them.
 */
export const STUDIO_CONFIG_KEY = 'bert_studio';

/**
 * The threshold a studio export tuned (`bert_studio.threshold`), or undefined for a model without
 * one (trained elsewhere, or single-label), which then predicts at 0.5.
 */
export function savedThreshold(config: { extra: Record<string, unknown> }): number | undefined {
  const block = config.extra[STUDIO_CONFIG_KEY] as { threshold?: unknown } | undefined;
  const t = block?.threshold;
  return typeof t === 'number' && t > 0 && t < 1 ? t : undefined;
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const json = (v: unknown): Uint8Array => enc(JSON.stringify(v, null, 2) + '\n');
const sortKeys = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export function exportConfig(input: HfExportInput): Record<string, unknown> {
  const c: Record<string, unknown> = { ...input.config, architectures: [ARCHITECTURE[input.task]], model_type: 'bert' };
  const labels = input.labels ?? [];
  if (input.task === 'seq-cls' || input.task === 'token-cls') {
    if (labels.length === 0) throw new CheckpointError(`${input.task} export needs its labels`);
    c.id2label = Object.fromEntries(labels.map((l, i) => [String(i), l]));
    c.label2id = Object.fromEntries(labels.map((l, i) => [l, i]));
  }
  if (input.task === 'seq-cls') c.problem_type = input.problemType ?? 'single_label_classification';
  else delete c.problem_type;
  // A block carried over from the base model's config described that model, not this one.
  delete c[STUDIO_CONFIG_KEY];
  const multiLabel = input.task === 'seq-cls' && c.problem_type === 'multi_label_classification';
  if (multiLabel && typeof input.threshold === 'number') {
    if (!(input.threshold > 0 && input.threshold < 1))
      throw new CheckpointError(`export: the decision threshold must be in (0, 1), got ${input.threshold}`);
    c[STUDIO_CONFIG_KEY] = { threshold: input.threshold };
  }
  return sortKeys(c);
}

function exportWeights(input: HfExportInput, config: Record<string, unknown>): WeightMap {
  const out: WeightMap = new Map();
  for (const [name, t] of input.weights) if (!TIED.includes(name)) out.set(name, t);
  const word = out.get('bert.embeddings.word_embeddings.weight') ?? out.get('embeddings.word_embeddings.weight');
  if (!word)
    throw new CheckpointError('export: the weights have no word embeddings (bert.embeddings.word_embeddings.weight)');
  const want = [config.vocab_size, config.hidden_size];
  if (word.shape[0] !== want[0] || word.shape[1] !== want[1]) {
    throw new CheckpointError(
      `export: word embeddings are [${word.shape.join(', ')}], config says [${want.join(', ')}]`,
    );
  }
  const cls = out.get('classifier.weight');
  const labels = input.labels ?? [];
  if (cls && labels.length && cls.shape[0] !== labels.length) {
    throw new CheckpointError(
      `export: classifier.weight has ${cls.shape[0]} rows but there are ${labels.length} labels`,
    );
  }
  return out;
}

function tokenizerFiles(input: HfExportInput, config: Record<string, unknown>): ExportFile[] {
  const lines = input.vocabText.replace(/\r?\n$/, '').split(/\r?\n/);
  if (typeof config.vocab_size === 'number' && lines.length > config.vocab_size) {
    throw new CheckpointError(
      `export: vocab.txt has ${lines.length} tokens, more than vocab_size ${config.vocab_size}`,
    );
  }
  const tc = { ...DEFAULT_TOKENIZER_CONFIG, ...input.tokenizerConfig };
  const special = Object.fromEntries(SPECIAL_TOKEN_KEYS.map((k) => [k, tc[k]]));
  return [
    { name: 'vocab.txt', data: enc(lines.join('\n') + '\n') },
    { name: 'tokenizer_config.json', data: json(tc) },
    { name: 'special_tokens_map.json', data: json(special) },
  ];
}

const countParams = (w: WeightMap): number => [...w.values()].reduce((s, t) => s + t.data.length, 0);

/** Every file of the export, in a stable order (HF files first, then tfjs/). */
export function buildHfExport(input: HfExportInput): ExportFile[] {
  const date = input.date ?? new Date();
  const config = exportConfig(input);
  const weights = exportWeights(input, config);
  const labels = input.task === 'seq-cls' || input.task === 'token-cls' ? (input.labels ?? []) : [];
  const problemType = typeof config.problem_type === 'string' ? config.problem_type : null;
  const trainingArgs = {
    studio_version: input.studioVersion,
    date: date.toISOString(),
    base_model: input.baseModel ?? null,
    task: input.task,
    problem_type: problemType,
    labels,
    dataset: input.dataset ?? null,
    hyperparameters: input.hyperparameters ?? {},
    freezing: input.freezing ?? null,
    metrics: input.metrics ?? {},
  };
  const card = buildModelCard({
    modelName: input.modelName ?? `${input.baseModel ?? 'bert'}-finetuned`,
    baseModel: input.baseModel ?? null,
    task: input.task,
    problemType,
    labels,
    metrics: input.metrics ?? {},
    hyperparameters: input.hyperparameters ?? {},
    freezing: input.freezing ?? null,
    dataset: input.dataset ?? null,
    studioVersion: input.studioVersion,
    date,
    numParameters: countParams(weights),
  });
  const tfjs = writeTfjsModel(weights, {
    shardBytes: input.tfjsShardBytes,
    extra: { format: 'weights', generatedBy: `bert-studio ${input.studioVersion}`, convertedBy: null, config },
  });
  return [
    { name: 'config.json', data: json(config) },
    ...tokenizerFiles(input, config),
    { name: 'model.safetensors', data: writeSafetensors(weights, { format: 'pt' }) },
    { name: 'README.md', data: enc(card) },
    { name: 'training_args.json', data: json(trainingArgs) },
    { name: 'tfjs/model.json', data: json(tfjs.modelJson) },
    ...tfjs.shards.map((s) => ({ name: `tfjs/${s.name}`, data: s.data })),
  ];
}

/** The export as one .zip (optionally inside a top folder, which zipSource strips again). */
export function zipHfExport(files: ExportFile[], folder?: string): Uint8Array {
  const prefix = folder ? `${folder.replace(/[^A-Za-z0-9_.-]+/g, '-')}/` : '';
  return writeZip(files.map((f) => ({ name: prefix + f.name, data: f.data })));
}
