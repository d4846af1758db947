// Catalog of BERT-family checkpoints on the Hugging Face hub, plus validation of typed ids and
// the hub's file URL layout (`<hub>/<id>/resolve/<revision>/<file>`, as huggingface_hub's
// `hf_hub_url` builds it). Shapes come from each repo's config.json; parameter counts are
// computed from the shape rather than copied, so they stay consistent with the model code.

export const DEFAULT_HUB = 'https://huggingface.co';
export const DEFAULT_REVISION = 'main';

/** Files a BERT checkpoint may have, in the order the studio asks for them. */
export const CONFIG_FILE = 'config.json';
export const TOKENIZER_FILES = [
  'vocab.txt',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
] as const;
/** Weights: the first one that exists wins (safetensors is safer and faster to parse). */
export const WEIGHT_FILES = ['model.safetensors', 'pytorch_model.bin'] as const;

export interface ModelShape {
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocabSize: number;
  maxPositions: number;
}

export interface CatalogEntry extends ModelShape {
  id: string;
  /** Short human name ("BERT-Tiny"). */
  name: string;
  /** config.json `model_type`: DistilBERT names its weights differently from BERT. */
  modelType: 'bert' | 'distilbert';
  cased: boolean;
  multilingual: boolean;
  /** Parameter count of the encoder (+ pooler for BERT), from the shape. */
  params: number;
  /** float32 weight file size in MB (10^6 bytes), approximate. */
  sizeMB: number;
  goodFor: string;
}

type Spec = Omit<CatalogEntry, 'params' | 'sizeMB'>;

// Google's compact models (Turc et al. 2019, "Well-Read Students Learn Better") use
// intermediate = 4 x hidden and the bert-base-uncased vocabulary.
const compact = (id: string, name: string, layers: number, hidden: number, goodFor: string): Spec => ({
  id,
  name,
  modelType: 'bert',
  cased: false,
  multilingual: false,
  layers,
  hidden,
  heads: hidden / 64,
  intermediate: hidden * 4,
  vocabSize: 30522,
  maxPositions: 512,
  goodFor,
});

const base = (
  id: string,
  name: string,
  vocabSize: number,
  cased: boolean,
  multilingual: boolean,
  goodFor: string,
): Spec => ({
  id,
  name,
  modelType: 'bert',
  cased,
  multilingual,
  layers: 12,
  hidden: 768,
  heads: 12,
  intermediate: 3072,
  vocabSize,
  maxPositions: 512,
  goodFor,
});

const SPECS: Spec[] = [
  compact(
    'google/bert_uncased_L-2_H-128_A-2',
    'BERT-Tiny',
    2,
    128,
    'Fastest: trains in minutes on any laptop; demos, quick experiments, small English datasets.',
  ),
  compact(
    'google/bert_uncased_L-4_H-256_A-4',
    'BERT-Mini',
    4,
    256,
    'Still very fast; noticeably better accuracy than Tiny on English classification.',
  ),
  compact(
    'google/bert_uncased_L-4_H-512_A-8',
    'BERT-Small',
    4,
    512,
    'Good speed/accuracy balance for English text on a GPU-backed browser.',
  ),
  compact(
    'google/bert_uncased_L-8_H-512_A-8',
    'BERT-Medium',
    8,
    512,
    'Close to BERT-Base on many tasks at about a third of the cost; needs WebGPU/WebGL.',
  ),
  base(
    'bert-base-uncased',
    'BERT-Base (uncased)',
    30522,
    false,
    false,
    'The standard English baseline; best accuracy here, slow to fine-tune in a browser.',
  ),
  base(
    'bert-base-cased',
    'BERT-Base (cased)',
    28996,
    true,
    false,
    'English where capitalisation matters: named entities, token classification.',
  ),
  {
    ...base(
      'distilbert-base-uncased',
      'DistilBERT (uncased)',
      30522,
      false,
      false,
      '40% smaller than BERT-Base with ~97% of its accuracy; English.',
    ),
    modelType: 'distilbert',
    layers: 6,
  },
  base(
    'bert-base-multilingual-cased',
    'mBERT (cased)',
    119547,
    true,
    true,
    '104 languages in one model; large vocabulary makes it the biggest download.',
  ),
];

/** Parameter count of a BERT encoder (embeddings, layers, and the pooler when BERT has one). */
export function estimateParams(s: ModelShape, modelType: 'bert' | 'distilbert' = 'bert'): number {
  const { hidden: h, intermediate: i, layers } = s;
  // DistilBERT drops token-type embeddings and the pooler.
  const typeVocab = modelType === 'bert' ? 2 : 0;
  const embeddings = (s.vocabSize + s.maxPositions + typeVocab) * h + 2 * h;
  const attention = 4 * (h * h + h) + 2 * h;
  const ffn = h * i + i + i * h + h + 2 * h;
  const pooler = modelType === 'bert' ? h * h + h : 0;
  return embeddings + layers * (attention + ffn) + pooler;
}

export const CATALOG: readonly CatalogEntry[] = SPECS.map((s) => {
  const params = estimateParams(s, s.modelType);
  return { ...s, params, sizeMB: Math.round((params * 4) / 1e5) / 10 };
});

export function catalogEntry(id: string): CatalogEntry | undefined {
  return CATALOG.find((e) => e.id === id);
}

export type IdCheck = { ok: true; id: string } | { ok: false; error: string };

// Hub repo names (huggingface_hub `validate_repo_id`): letters, digits, '-', '_', '.'; no '--'
// or '..'; may not start or end with '-' or '.'; at most 96 characters.
const PART = /^[A-Za-z0-9_.-]+$/;
const MAX_PART = 96;

function checkPart(part: string, what: string): string | null {
  if (part === '') return `${what} is empty`;
  if (part.length > MAX_PART) return `${what} is longer than ${MAX_PART} characters`;
  if (!PART.test(part)) return `${what} "${part}" may only contain letters, digits, '-', '_' and '.'`;
  if (part.includes('--') || part.includes('..')) return `${what} "${part}" may not contain '--' or '..'`;
  if (/^[-.]|[-.]$/.test(part)) return `${what} "${part}" may not start or end with '-' or '.'`;
  return null;
}

/** Checks a model id typed by the user: `name` or `owner/name`; accepts a pasted hub URL too. */
export function validateModelId(input: string, hub: string = DEFAULT_HUB): IdCheck {
  let id = input.trim();
  const prefix = hub.replace(/\/+$/, '') + '/';
  if (id.startsWith(prefix)) id = id.slice(prefix.length).replace(/\/+$/, '');
  if (id === '')
    return { ok: false, error: 'Enter a model id such as bert-base-uncased or google/bert_uncased_L-2_H-128_A-2' };
  const parts = id.split('/');
  if (parts.length > 2) return { ok: false, error: `"${id}" has ${parts.length - 1} slashes; use owner/name or name` };
  const names = parts.length === 2 ? ['owner', 'model name'] : ['model name'];
  for (let k = 0; k < parts.length; k++) {
    const err = checkPart(parts[k]!, names[k]!);
    if (err) return { ok: false, error: err };
  }
  return { ok: true, id };
}

/** `<hub>/<id>/resolve/<revision>/<file>` with each path segment URL-encoded. */
export function hubFileUrl(hub: string, id: string, file: string, revision: string = DEFAULT_REVISION): string {
  const enc = (p: string): string => p.split('/').map(encodeURIComponent).join('/');
  return `${hub.replace(/\/+$/, '')}/${enc(id)}/resolve/${encodeURIComponent(revision)}/${enc(file)}`;
}
