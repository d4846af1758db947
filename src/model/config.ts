// BERT config.json parsing and validation, following HF `configuration_bert.py` (BertConfig
// defaults) and `configuration_utils.py` (id2label / label2id / num_labels rules).
// Keys stay snake_case so a parsed config round-trips to config.json unchanged. DistilBERT configs
// are accepted too and rewritten to BERT keys (distilbert.ts).
import { DISTILBERT_MODEL_TYPE, distilBertConfigToBertJson } from './distilbert';

export type HiddenAct = 'gelu' | 'gelu_new' | 'gelu_pytorch_tanh' | 'relu';
export type ProblemType = 'regression' | 'single_label_classification' | 'multi_label_classification';

export interface BertConfig {
  vocab_size: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  hidden_act: HiddenAct;
  hidden_dropout_prob: number;
  attention_probs_dropout_prob: number;
  classifier_dropout: number | null;
  max_position_embeddings: number;
  type_vocab_size: number;
  initializer_range: number;
  layer_norm_eps: number;
  pad_token_id: number;
  model_type: string;
  architectures?: string[];
  id2label?: Record<string, string>;
  label2id?: Record<string, number>;
  problem_type?: ProblemType | null;
  /** Every other key of config.json, kept verbatim so export writes it back. */
  extra: Record<string, unknown>;
}

// Defaults of HF BertConfig.__init__ (bert-base-uncased shape).
export const BERT_DEFAULTS = {
  vocab_size: 30522,
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
  hidden_act: 'gelu',
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  classifier_dropout: null,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  initializer_range: 0.02,
  layer_norm_eps: 1e-12,
  pad_token_id: 0,
  model_type: 'bert',
} as const;

// Sanity caps, checked before anything is allocated: a hostile or corrupt config must fail with a
// message, not an out-of-memory crash. The largest real BERT-family configs (BERT-large, mBERT,
// 250k-vocab multilingual models) sit well below these.
const CAPS: Record<string, number> = {
  vocab_size: 1_000_000,
  hidden_size: 8192,
  num_hidden_layers: 128,
  num_attention_heads: 256,
  intermediate_size: 65536,
  max_position_embeddings: 65536,
  type_vocab_size: 1024,
};
// tfjs backs each tensor with one typed array; 2^31 bytes is the practical ceiling in browsers.
const MAX_TENSOR_ELEMENTS = 2 ** 29;
const MAX_TOTAL_PARAMS = 2e9;

const ACTS: readonly string[] = ['gelu', 'gelu_new', 'gelu_pytorch_tanh', 'relu'];
const PROBLEM_TYPES: readonly string[] = ['regression', 'single_label_classification', 'multi_label_classification'];

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const KNOWN_KEYS = new Set<string>([
  ...Object.keys(BERT_DEFAULTS),
  'architectures',
  'id2label',
  'label2id',
  'problem_type',
  'num_labels',
]);

/** Parses a config.json object (already JSON.parse'd) and validates it. */
export function parseBertConfig(json: unknown): BertConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ConfigError('config.json must be a JSON object');
  const raw = json as Record<string, unknown>;
  const j = raw.model_type === DISTILBERT_MODEL_TYPE ? distilBertConfigToBertJson(raw) : raw;
  const int = (k: keyof typeof CAPS, min: number): number => {
    const v = j[k] ?? BERT_DEFAULTS[k as keyof typeof BERT_DEFAULTS];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      throw new ConfigError(`config.${k} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
    if (v > CAPS[k]!) throw new ConfigError(`config.${k} = ${v} exceeds the supported maximum ${CAPS[k]}`);
    return v;
  };
  const prob = (k: string, fallback: number | null): number | null => {
    const v = j[k] === undefined ? fallback : j[k];
    if (v === null) return null;
    if (typeof v !== 'number' || !(v >= 0 && v < 1))
      throw new ConfigError(`config.${k} must be a probability in [0, 1), got ${JSON.stringify(v)}`);
    return v;
  };
  const num = (k: string, fallback: number): number => {
    const v = j[k] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
      throw new ConfigError(`config.${k} must be a positive number, got ${JSON.stringify(v)}`);
    return v;
  };
  const act = j.hidden_act ?? BERT_DEFAULTS.hidden_act;
  if (typeof act !== 'string' || !ACTS.includes(act))
    throw new ConfigError(`config.hidden_act ${JSON.stringify(act)} is not supported (use ${ACTS.join(', ')})`);
  const modelType = j.model_type ?? BERT_DEFAULTS.model_type;
  if (typeof modelType !== 'string') throw new ConfigError('config.model_type must be a string');
  const pet = j.position_embedding_type;
  if (pet !== undefined && pet !== 'absolute')
    throw new ConfigError(`config.position_embedding_type ${JSON.stringify(pet)} is not supported (only "absolute")`);

  const config: BertConfig = {
    vocab_size: int('vocab_size', 1),
    hidden_size: int('hidden_size', 1),
    num_hidden_layers: int('num_hidden_layers', 0),
    num_attention_heads: int('num_attention_heads', 1),
    intermediate_size: int('intermediate_size', 1),
    hidden_act: act as HiddenAct,
    hidden_dropout_prob: prob('hidden_dropout_prob', BERT_DEFAULTS.hidden_dropout_prob) ?? 0,
    attention_probs_dropout_prob: prob('attention_probs_dropout_prob', BERT_DEFAULTS.attention_probs_dropout_prob) ?? 0,
    classifier_dropout: prob('classifier_dropout', null),
    max_position_embeddings: int('max_position_embeddings', 1),
    type_vocab_size: int('type_vocab_size', 1),
    initializer_range: num('initializer_range', BERT_DEFAULTS.initializer_range),
    layer_norm_eps: num('layer_norm_eps', BERT_DEFAULTS.layer_norm_eps),
    pad_token_id: typeof j.pad_token_id === 'number' ? j.pad_token_id : BERT_DEFAULTS.pad_token_id,
    model_type: modelType,
    extra: {},
  };
  if (Array.isArray(j.architectures)) config.architectures = j.architectures.map(String);
  parseLabels(j, config);
  if (j.problem_type !== undefined && j.problem_type !== null) {
    if (typeof j.problem_type !== 'string' || !PROBLEM_TYPES.includes(j.problem_type))
      throw new ConfigError(
        `config.problem_type ${JSON.stringify(j.problem_type)} is not one of ${PROBLEM_TYPES.join(', ')}`,
      );
    config.problem_type = j.problem_type as ProblemType;
  }
  for (const [k, v] of Object.entries(j)) if (!KNOWN_KEYS.has(k)) config.extra[k] = v;
  validateBertConfig(config);
  return config;
}

function parseLabels(j: Record<string, unknown>, config: BertConfig): void {
  const id2label = j.id2label;
  if (id2label !== undefined && id2label !== null) {
    if (typeof id2label !== 'object' || Array.isArray(id2label))
      throw new ConfigError('config.id2label must be an object');
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(id2label)) {
      if (!/^\d+$/.test(k)) throw new ConfigError(`config.id2label key ${JSON.stringify(k)} is not an integer`);
      out[k] = String(v);
    }
    config.id2label = out;
  } else if (typeof j.num_labels === 'number' && Number.isInteger(j.num_labels) && j.num_labels > 0) {
    // HF: num_labels without id2label means LABEL_0..LABEL_{n-1}.
    config.id2label = Object.fromEntries(Array.from({ length: j.num_labels }, (_, i) => [String(i), `LABEL_${i}`]));
  }
  const label2id = j.label2id;
  if (label2id !== undefined && label2id !== null) {
    if (typeof label2id !== 'object' || Array.isArray(label2id))
      throw new ConfigError('config.label2id must be an object');
    config.label2id = Object.fromEntries(Object.entries(label2id).map(([k, v]) => [k, Number(v)]));
  } else if (config.id2label) {
    config.label2id = Object.fromEntries(Object.entries(config.id2label).map(([k, v]) => [v, Number(k)]));
  }
}

/** Throws ConfigError when the architecture numbers are inconsistent or too large to allocate. */
export function validateBertConfig(c: BertConfig): void {
  for (const [k, cap] of Object.entries(CAPS)) {
    const v = c[k as keyof BertConfig];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > cap)
      throw new ConfigError(`config.${k} = ${String(v)} is outside [0, ${cap}]`);
  }
  if (c.hidden_size % c.num_attention_heads !== 0) {
    throw new ConfigError(
      `config.hidden_size (${c.hidden_size}) is not a multiple of num_attention_heads (${c.num_attention_heads})`,
    );
  }
  const h = c.hidden_size;
  if (
    c.vocab_size * h > MAX_TENSOR_ELEMENTS ||
    c.intermediate_size * h > MAX_TENSOR_ELEMENTS ||
    c.max_position_embeddings * h > MAX_TENSOR_ELEMENTS
  ) {
    throw new ConfigError(
      `config gives a weight matrix over ${MAX_TENSOR_ELEMENTS} elements (vocab_size ${c.vocab_size} x hidden_size ${h})`,
    );
  }
  const total = countParameters(c);
  if (total > MAX_TOTAL_PARAMS)
    throw new ConfigError(
      `config describes ${total.toExponential(2)} parameters, more than the supported ${MAX_TOTAL_PARAMS.toExponential(0)}`,
    );
  if (c.pad_token_id < 0 || c.pad_token_id >= c.vocab_size)
    throw new ConfigError(`config.pad_token_id ${c.pad_token_id} is outside the vocabulary (${c.vocab_size})`);
}

/** Parameters of the encoder + pooler (no head), as PyTorch counts them. */
export function countParameters(c: BertConfig): number {
  const h = c.hidden_size;
  const emb = (c.vocab_size + c.max_position_embeddings + c.type_vocab_size) * h + 2 * h;
  const layer =
    4 * (h * h + h) + 2 * h + (h * c.intermediate_size + c.intermediate_size) + (c.intermediate_size * h + h) + 2 * h;
  return emb + c.num_hidden_layers * layer + h * h + h;
}

/** Number of labels as HF derives it: from id2label, else the default 2. */
export function numLabelsOf(c: BertConfig): number {
  return c.id2label ? Object.keys(c.id2label).length : 2;
}

/**
 * Back to a config.json object (snake_case, sorted keys like `save_pretrained`). A model loaded
 * from DistilBERT holds BERT names and weights, so it is written as `model_type: "bert"`.
 */
export function bertConfigToJson(c: BertConfig): Record<string, unknown> {
  const { extra, ...known } = c;
  const out: Record<string, unknown> = { ...extra };
  for (const [k, v] of Object.entries(known)) if (v !== undefined) out[k] = v;
  if (out.model_type === DISTILBERT_MODEL_TYPE) out.model_type = 'bert';
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
