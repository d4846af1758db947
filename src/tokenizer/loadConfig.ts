// Building a BertTokenizer from what a Hugging Face checkpoint ships: vocab.txt (+ tokenizer_config.json,
// special_tokens_map.json) as read by transformers' BertTokenizer, or tokenizer.json (the `tokenizers`
// fast-tokenizer format: BertNormalizer, BertPreTokenizer, WordPiece model, post-processor).
import { BertTokenizer, type SpecialTokens } from './bertTokenizer';
import type { BasicOptions } from './basic';
import { Vocab } from './vocab';

/** File contents (text) found in a checkpoint folder; only one of vocabTxt / tokenizerJson is needed. */
export interface TokenizerFiles {
  vocabTxt?: string;
  tokenizerJson?: string;
  tokenizerConfigJson?: string;
  specialTokensMapJson?: string;
}

type Json = Record<string, unknown>;

const DEFAULT_SPECIAL: SpecialTokens = { unk: '[UNK]', sep: '[SEP]', pad: '[PAD]', cls: '[CLS]', mask: '[MASK]' };

function parseObject(text: string, name: string): Json {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`${name} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${name} must hold a JSON object`);
  return v as Json;
}

/** A special token entry is "[CLS]" or, in newer files, {"content": "[CLS]", ...}. */
function tokenString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && typeof (v as Json).content === 'string')
    return (v as Json).content as string;
  return undefined;
}

function specialFrom(...sources: Json[]): SpecialTokens {
  const pick = (key: string, fallback: string): string => {
    for (const s of sources) {
      const t = tokenString(s[key]);
      if (t !== undefined) return t;
    }
    return fallback;
  };
  return {
    unk: pick('unk_token', DEFAULT_SPECIAL.unk),
    sep: pick('sep_token', DEFAULT_SPECIAL.sep),
    pad: pick('pad_token', DEFAULT_SPECIAL.pad),
    cls: pick('cls_token', DEFAULT_SPECIAL.cls),
    mask: pick('mask_token', DEFAULT_SPECIAL.mask),
  };
}

function extraSpecialFrom(...sources: Json[]): string[] {
  const out: string[] = [];
  for (const s of sources) {
    const extra = s.additional_special_tokens;
    if (Array.isArray(extra))
      for (const t of extra) {
        const c = tokenString(t);
        if (c !== undefined) out.push(c);
      }
    const decoder = s.added_tokens_decoder; // transformers >= 4.34: { "103": {content, special, ...} }
    if (typeof decoder === 'object' && decoder !== null) {
      for (const t of Object.values(decoder as Json)) {
        const c = tokenString(t);
        if (c !== undefined) out.push(c);
      }
    }
  }
  return out;
}

const optBool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const optNumber = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** vocab.txt + tokenizer_config.json, with transformers BertTokenizer's defaults. */
export function fromVocabTxt(vocabTxt: string, tokenizerConfig: Json = {}, specialTokensMap: Json = {}): BertTokenizer {
  const lowercase = optBool(tokenizerConfig.do_lower_case) ?? true;
  const strip = tokenizerConfig.strip_accents;
  const basic: BasicOptions = {
    cleanText: true,
    handleChineseChars: optBool(tokenizerConfig.tokenize_chinese_chars) ?? true,
    lowercase,
    stripAccents: typeof strip === 'boolean' ? strip : null,
  };
  return new BertTokenizer({
    vocab: Vocab.fromText(vocabTxt),
    basic,
    special: specialFrom(tokenizerConfig, specialTokensMap),
    extraSpecialTokens: extraSpecialFrom(tokenizerConfig, specialTokensMap),
    modelMaxLength: optNumber(tokenizerConfig.model_max_length),
    cleanUpTokenizationSpaces: optBool(tokenizerConfig.clean_up_tokenization_spaces) ?? true,
  });
}

/** Finds the BertNormalizer (possibly inside a Sequence) of a tokenizer.json. */
function bertNormalizer(n: unknown): Json | null {
  if (typeof n !== 'object' || n === null) return null;
  const o = n as Json;
  if (o.type === 'BertNormalizer') return o;
  if (o.type === 'Sequence' && Array.isArray(o.normalizers)) {
    for (const inner of o.normalizers) {
      const found = bertNormalizer(inner);
      if (found) return found;
    }
  }
  throw new Error(
    `unsupported tokenizer.json normalizer ${JSON.stringify(o.type)} (a BERT WordPiece tokenizer needs BertNormalizer)`,
  );
}

/** tokenizer.json (+ tokenizer_config.json for model_max_length and special token names). */
export function fromTokenizerJson(tokenizerJson: Json, tokenizerConfig: Json = {}): BertTokenizer {
  const model = tokenizerJson.model as Json | undefined;
  if (!model || (model.type !== undefined && model.type !== 'WordPiece')) {
    throw new Error(`tokenizer.json model must be WordPiece, got ${JSON.stringify(model?.type)}`);
  }
  if (typeof model.vocab !== 'object' || model.vocab === null) throw new Error('tokenizer.json model.vocab is missing');
  const pre = tokenizerJson.pre_tokenizer as Json | null | undefined;
  if (pre && pre.type !== 'BertPreTokenizer') {
    throw new Error(`unsupported tokenizer.json pre_tokenizer ${JSON.stringify(pre.type)} (expected BertPreTokenizer)`);
  }
  const norm = bertNormalizer(tokenizerJson.normalizer);
  // transformers' BertTokenizerFast rebuilds the normalizer when tokenizer_config.json disagrees.
  const lowercase = optBool(tokenizerConfig.do_lower_case) ?? optBool(norm?.lowercase) ?? false;
  const strip = 'strip_accents' in tokenizerConfig ? tokenizerConfig.strip_accents : norm?.strip_accents;
  const basic: BasicOptions = {
    cleanText: optBool(norm?.clean_text) ?? false,
    handleChineseChars: optBool(tokenizerConfig.tokenize_chinese_chars) ?? optBool(norm?.handle_chinese_chars) ?? false,
    lowercase,
    stripAccents: typeof strip === 'boolean' ? strip : null,
  };
  const added = Array.isArray(tokenizerJson.added_tokens) ? (tokenizerJson.added_tokens as unknown[]) : [];
  const fromPost = postProcessorTokens(tokenizerJson.post_processor);
  const special = specialFrom(tokenizerConfig, fromPost, { unk_token: model.unk_token });
  return new BertTokenizer({
    vocab: Vocab.fromObject(model.vocab as Record<string, number>),
    basic,
    special,
    extraSpecialTokens: added.map(tokenString).filter((t): t is string => t !== undefined),
    continuingSubwordPrefix:
      typeof model.continuing_subword_prefix === 'string' ? model.continuing_subword_prefix : '##',
    maxInputCharsPerWord: optNumber(model.max_input_chars_per_word) ?? 100,
    modelMaxLength: optNumber(tokenizerConfig.model_max_length),
    cleanUpTokenizationSpaces: optBool(tokenizerConfig.clean_up_tokenization_spaces) ?? true,
  });
}

/** cls/sep names from a BertProcessing ({cls: [tok, id]}) or TemplateProcessing post-processor. */
function postProcessorTokens(p: unknown): Json {
  if (typeof p !== 'object' || p === null) return {};
  const o = p as Json;
  if (o.type === 'BertProcessing' && Array.isArray(o.cls) && Array.isArray(o.sep)) {
    return { cls_token: o.cls[0], sep_token: o.sep[0] };
  }
  if (o.type === 'TemplateProcessing' && Array.isArray(o.single)) {
    const names = o.single
      .map((item) => (item as { SpecialToken?: { id?: unknown } }).SpecialToken?.id)
      .filter((id): id is string => typeof id === 'string');
    if (names.length >= 2) return { cls_token: names[0], sep_token: names[names.length - 1] };
  }
  return {};
}

/** Picks tokenizer.json when present (it is what the fast tokenizer uses), else vocab.txt. */
export function loadBertTokenizer(files: TokenizerFiles): BertTokenizer {
  const config = files.tokenizerConfigJson ? parseObject(files.tokenizerConfigJson, 'tokenizer_config.json') : {};
  const map = files.specialTokensMapJson ? parseObject(files.specialTokensMapJson, 'special_tokens_map.json') : {};
  if (files.tokenizerJson)
    return fromTokenizerJson(parseObject(files.tokenizerJson, 'tokenizer.json'), { ...map, ...config });
  if (files.vocabTxt) return fromVocabTxt(files.vocabTxt, config, map);
  throw new Error('no tokenizer found: need vocab.txt or tokenizer.json');
}
