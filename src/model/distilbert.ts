// DistilBERT checkpoints mapped onto the BERT encoder, following HF `modeling_distilbert.py` and
// `configuration_distilbert.py`. A DistilBERT layer is a post-LN BERT layer under other names
// (q_lin/k_lin/v_lin/out_lin, sa_layer_norm, ffn.lin1/lin2, output_layer_norm), so the loader
// renames tensors and builds an ordinary BertModel:
// - No token types: the model gets `type_vocab_size` 2 token-type rows of zeros, so outputs equal
//   DistilBERT's for any token_type_ids (pairs from the tokenizer stay in range). Fine-tuning may
//   then learn them, as BERT would.
// - Seq-cls: DistilBERT's head is ReLU(pre_classifier(h[CLS])) -> classifier, BERT's is
//   tanh(pooler(h[CLS])) -> classifier. The activations differ, and an export must load in PyTorch
//   as BertForSequenceClassification, so pre_classifier/classifier are NOT loaded (reported as
//   unexpected); pooler and classifier are newly initialised, as for a base checkpoint.
// - Sinusoidal position embeddings (`sinusoidal_pos_embds`) are stored in the state dict like
//   learned ones, so they load as they are (training here does not freeze them, HF does).
// - Export writes BERT names and `model_type: "bert"` (bertConfigToJson), loadable as BertFor*.
import type { RawTensor, WeightMap } from './checkpoint/types';

export const DISTILBERT_MODEL_TYPE = 'distilbert';
// DistilBertConfig default; modeling_distilbert.py hard-codes LayerNorm eps 1e-12.
const DISTILBERT_LAYER_NORM_EPS = 1e-12;
// Token-type rows the mapped model holds (zeros): BERT's usual 2, so sentence pairs stay valid.
export const DISTILBERT_TYPE_VOCAB_SIZE = 2;

// DistilBertConfig keys -> BertConfig keys.
const CONFIG_KEYS: ReadonlyArray<[string, string]> = [
  ['dim', 'hidden_size'],
  ['n_layers', 'num_hidden_layers'],
  ['n_heads', 'num_attention_heads'],
  ['hidden_dim', 'intermediate_size'],
  ['activation', 'hidden_act'],
  ['dropout', 'hidden_dropout_prob'],
  ['attention_dropout', 'attention_probs_dropout_prob'],
  // The seq-cls dropout; BERT's token-cls head also uses classifier_dropout (DistilBERT: dropout).
  ['seq_classif_dropout', 'classifier_dropout'],
];
// DistilBertConfig.__init__ defaults (distilbert-base-uncased shape).
const CONFIG_DEFAULTS: Record<string, unknown> = {
  dim: 768,
  n_layers: 6,
  n_heads: 12,
  hidden_dim: 3072,
  activation: 'gelu',
  dropout: 0.1,
  attention_dropout: 0.1,
  seq_classif_dropout: 0.2,
};
// DistilBERT-only keys with no BERT meaning: not written back on a BERT export.
const DROPPED_KEYS = ['qa_dropout', 'sinusoidal_pos_embds', 'tie_weights_'];

/**
 * A DistilBERT config.json rewritten with BertConfig keys (model_type stays "distilbert", so the
 * loader knows to rename tensors). `architectures` become the matching BertFor* classes.
 */
export function distilBertConfigToBertJson(j: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const moved = new Set<string>([...CONFIG_KEYS.map(([d]) => d), ...DROPPED_KEYS]);
  for (const [k, v] of Object.entries(j)) if (!moved.has(k)) out[k] = v;
  for (const [d, b] of CONFIG_KEYS) out[b] = j[d] ?? CONFIG_DEFAULTS[d];
  out.type_vocab_size = DISTILBERT_TYPE_VOCAB_SIZE;
  out.layer_norm_eps = DISTILBERT_LAYER_NORM_EPS;
  out.model_type = DISTILBERT_MODEL_TYPE;
  if (Array.isArray(j.architectures))
    out.architectures = j.architectures.map((a) => String(a).replace(/^DistilBert/, 'Bert'));
  return out;
}

// [DistilBERT name without prefix, BERT model name]; `N` is the layer index.
const LAYER_RULES: ReadonlyArray<[string, string]> = [
  ['attention.q_lin', 'attention.self.query'],
  ['attention.k_lin', 'attention.self.key'],
  ['attention.v_lin', 'attention.self.value'],
  ['attention.out_lin', 'attention.output.dense'],
  ['sa_layer_norm', 'attention.output.LayerNorm'],
  ['ffn.lin1', 'intermediate.dense'],
  ['ffn.lin2', 'output.dense'],
  ['output_layer_norm', 'output.LayerNorm'],
];
const HEAD_RULES: ReadonlyArray<[string, string]> = [
  ['vocab_transform.', 'cls.predictions.transform.dense.'],
  ['vocab_layer_norm.', 'cls.predictions.transform.LayerNorm.'],
  ['vocab_projector.weight', 'cls.predictions.decoder.weight'],
  ['vocab_projector.bias', 'cls.predictions.bias'],
];
const ENCODER_ROOTS = ['embeddings.', 'transformer.'];

/** BERT model name for a DistilBERT tensor name (with or without `distilbert.`), or null if unknown. */
export function distilToBertName(key: string): string | null {
  const k = key.startsWith('distilbert.') ? key.slice('distilbert.'.length) : key;
  if (k.startsWith('embeddings.')) {
    const rest = k.slice('embeddings.'.length);
    return /^(word_embeddings|position_embeddings|LayerNorm)\.(weight|bias)$/.test(rest) ? `bert.${k}` : null;
  }
  const m = /^transformer\.layer\.(\d+)\.(.+)\.(weight|bias)$/.exec(k);
  if (m) {
    const rule = LAYER_RULES.find(([d]) => d === m[2]);
    return rule ? `bert.encoder.layer.${m[1]}.${rule[1]}.${m[3]}` : null;
  }
  for (const [d, b] of HEAD_RULES) if (k.startsWith(d)) return b + k.slice(d.length);
  if (/^(qa_outputs|classifier)\.(weight|bias)$/.test(k)) return k;
  return null;
}

/** The DistilBERT name of a BERT model tensor (for error messages), or the name itself. */
export function bertToDistilName(name: string, prefix: string): string {
  if (name.startsWith('bert.embeddings.')) return prefix + name.slice('bert.'.length);
  const m = /^bert\.encoder\.layer\.(\d+)\.(.+)\.(weight|bias)$/.exec(name);
  if (m) {
    const rule = LAYER_RULES.find(([, b]) => b === m[2]);
    if (rule) return `${prefix}transformer.layer.${m[1]}.${rule[0]}.${m[3]}`;
  }
  for (const [d, b] of HEAD_RULES) if (name.startsWith(b)) return d + name.slice(b.length);
  return name;
}

export interface DistilBertMapping {
  /** Tensors under BERT model names, plus the zero token-type embeddings. */
  weights: WeightMap;
  /** [DistilBERT name, BERT name]. */
  renamed: Array<[string, string]>;
  /** Checkpoint tensors deliberately not loaded (the ReLU seq-cls head), DistilBERT names. */
  skipped: string[];
  /** `distilbert.` when the checkpoint has a task head, '' for DistilBertModel.save_pretrained. */
  prefix: string;
}

/** Renames a DistilBERT state dict to BERT names. Unknown tensors keep their names (then reported unexpected). */
export function mapDistilBertWeights(weights: WeightMap, hiddenSize: number, typeVocabSize: number): DistilBertMapping {
  const keys = [...weights.keys()];
  const prefix = keys.some((k) => k.startsWith('distilbert.')) ? 'distilbert.' : '';
  const hasPreClassifier = keys.some((k) => k.startsWith('pre_classifier.'));
  const out: WeightMap = new Map();
  const renamed: Array<[string, string]> = [];
  const skipped: string[] = [];
  for (const [key, t] of weights) {
    if (hasPreClassifier && /^(pre_classifier|classifier)\./.test(key)) {
      skipped.push(key);
      continue;
    }
    const name = prefix === '' || key.startsWith(prefix) || !isEncoderName(key) ? distilToBertName(key) : null;
    if (name === null || out.has(name)) {
      out.set(key, t);
      continue;
    }
    if (name !== key) renamed.push([key, name]);
    out.set(name, t);
  }
  const zeros: RawTensor = {
    dtype: 'float32',
    shape: [typeVocabSize, hiddenSize],
    data: new Float32Array(typeVocabSize * hiddenSize),
  };
  out.set('bert.embeddings.token_type_embeddings.weight', zeros);
  return { weights: out, renamed, skipped, prefix };
}

function isEncoderName(key: string): boolean {
  return ENCODER_ROOTS.some((r) => key.startsWith(r));
}
