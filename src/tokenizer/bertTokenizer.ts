// BertTokenizer: special-token split -> BasicTokenizer -> WordPiece -> template/truncation/padding,
// matching HF transformers `BertTokenizer(Fast)` ids, with fast-tokenizer style offsets and word ids.
import { AddedTokenSplitter } from './addedTokens';
import { BasicTokenizer, type BasicOptions, type Word } from './basic';
import { decodeTokens } from './decode';
import { assemble, padEncoding, truncatedLengths, type SeqTokens, type TemplateTokens } from './postprocess';
import type { BatchEncoding, DecodeOptions, EncodeOptions, Encoding, TextInput, TruncationStrategy } from './types';
import type { Vocab } from './vocab';
import { WordPiece } from './wordpiece';

export interface SpecialTokens {
  unk: string;
  sep: string;
  pad: string;
  cls: string;
  mask: string;
}

export interface BertTokenizerConfig {
  vocab: Vocab;
  basic: BasicOptions;
  special: SpecialTokens;
  /** Other tokens never split by the pre-tokenizer (additional_special_tokens, added_tokens). */
  extraSpecialTokens?: string[];
  continuingSubwordPrefix?: string;
  maxInputCharsPerWord?: number;
  /** Default maxLength when truncating; undefined or >= 1e12 (HF's "no limit") means none. */
  modelMaxLength?: number;
  cleanUpTokenizationSpaces?: boolean;
}

/** HF's VERY_LARGE_INTEGER-style placeholders mean the checkpoint sets no limit. */
const NO_LIMIT = 1e12;

export class BertTokenizer {
  readonly vocab: Vocab;
  readonly special: SpecialTokens;
  readonly unkId: number;
  readonly sepId: number;
  readonly padId: number;
  readonly clsId: number;
  readonly maskId: number;
  readonly modelMaxLength: number | undefined;
  readonly cleanUpTokenizationSpaces: boolean;
  /** Ids of every special token; decode(…, {skipSpecialTokens}) drops these. */
  readonly specialIds: ReadonlySet<number>;
  private readonly basic: BasicTokenizer;
  private readonly wordpiece: WordPiece;
  private readonly splitter: AddedTokenSplitter;
  private readonly template: TemplateTokens;
  private readonly words: Word[] = [];

  constructor(config: BertTokenizerConfig) {
    const v = config.vocab;
    this.vocab = v;
    this.special = config.special;
    this.unkId = v.requireId(config.special.unk, 'unknown');
    this.sepId = v.requireId(config.special.sep, 'separator');
    this.padId = v.requireId(config.special.pad, 'padding');
    this.clsId = v.requireId(config.special.cls, 'classifier');
    this.maskId = v.requireId(config.special.mask, 'mask');
    const mml = config.modelMaxLength;
    this.modelMaxLength = mml !== undefined && mml > 0 && mml < NO_LIMIT ? mml : undefined;
    this.cleanUpTokenizationSpaces = config.cleanUpTokenizationSpaces ?? true;
    this.basic = new BasicTokenizer(config.basic);
    this.wordpiece = new WordPiece(v, {
      unkToken: config.special.unk,
      continuingSubwordPrefix: config.continuingSubwordPrefix ?? '##',
      maxInputCharsPerWord: config.maxInputCharsPerWord ?? 100,
    });
    const specials = new Map<string, number>();
    for (const tok of [...Object.values(config.special), ...(config.extraSpecialTokens ?? [])]) {
      const id = v.id(tok);
      if (id !== undefined) specials.set(tok, id);
    }
    this.specialIds = new Set(specials.values());
    this.splitter = new AddedTokenSplitter([...specials].map(([content, id]) => ({ content, id })));
    this.template = { clsId: this.clsId, sepId: this.sepId, padId: this.padId, idToToken: v.idToToken };
  }

  /** Number of ids (vocab.txt lines); must not exceed the model's vocab_size. */
  get vocabSize(): number {
    return this.vocab.size;
  }

  /** Word pieces of a text (no special tokens added), e.g. ['hello', '##s']. */
  tokenize(text: string): string[] {
    return this.encodeText(text).ids.map((id) => this.vocab.idToToken[id] ?? '');
  }

  encode(text: string, textPair?: string | null, options: EncodeOptions = {}): Encoding {
    const a = this.encodeText(text);
    const b = textPair === undefined || textPair === null ? null : this.encodeText(textPair);
    return this.finish(a, b, options);
  }

  /** Encodes and pads a batch to one length; `padding` defaults to 'longest' here. */
  encodeBatch(inputs: ReadonlyArray<TextInput>, options: EncodeOptions = {}): BatchEncoding {
    const padding = options.padding ?? 'longest';
    const rowOptions: EncodeOptions = { ...options, padding: false, truncation: truncationStrategy(options) ?? false };
    const encodings = inputs.map((inp) =>
      typeof inp === 'string' ? this.encode(inp, null, rowOptions) : this.encode(inp[0], inp[1], rowOptions),
    );
    let T = 0;
    for (const e of encodings) T = Math.max(T, e.inputIds.length);
    if (padding === 'max_length') T = Math.max(T, this.resolveMaxLength(options, 'padding to max_length'));
    else if (padding === false && encodings.some((e) => e.inputIds.length !== T)) {
      throw new Error('encodeBatch without padding needs inputs of equal token length');
    }
    const B = encodings.length;
    const inputIds = new Int32Array(B * T).fill(this.padId);
    const tokenTypeIds = new Int32Array(B * T);
    const attentionMask = new Int32Array(B * T);
    encodings.forEach((e, r) => {
      inputIds.set(e.inputIds, r * T);
      tokenTypeIds.set(e.tokenTypeIds, r * T);
      attentionMask.set(e.attentionMask, r * T);
      padEncoding(e, this.template, T);
    });
    return { inputIds, tokenTypeIds, attentionMask, shape: [B, T], encodings };
  }

  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    const tokens: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (options.skipSpecialTokens && this.specialIds.has(id)) continue;
      tokens.push(this.vocab.idToToken[id] ?? this.special.unk);
    }
    return decodeTokens(tokens, options.cleanUpTokenizationSpaces ?? this.cleanUpTokenizationSpaces);
  }

  private finish(a: SeqTokens, b: SeqTokens | null, options: EncodeOptions): Encoding {
    const addSpecial = options.addSpecialTokens ?? true;
    const nSpecial = addSpecial ? (b ? 3 : 2) : 0;
    let keepA = a.ids.length;
    let keepB = b ? b.ids.length : 0;
    const strategy = truncationStrategy(options);
    if (strategy) {
      const maxLength = this.resolveMaxLength(options, 'truncation');
      if (maxLength < nSpecial) {
        throw new Error(`maxLength ${maxLength} is smaller than the ${nSpecial} special tokens it must hold`);
      }
      [keepA, keepB] = truncatedLengths(keepA, b ? keepB : null, maxLength - nSpecial, strategy);
    }
    const padding = options.padding === true ? 'longest' : options.padding;
    const padTo = padding === 'max_length' ? this.resolveMaxLength(options, 'padding to max_length') : 0;
    return assemble(this.template, a, keepA, b, keepB, addSpecial, padTo);
  }

  private resolveMaxLength(options: EncodeOptions, why: string): number {
    const m = options.maxLength ?? this.modelMaxLength;
    if (m === undefined) throw new Error(`${why} needs maxLength (the tokenizer has no model_max_length)`);
    if (!Number.isInteger(m) || m < 0) throw new Error(`maxLength must be a non-negative integer, got ${m}`);
    return m;
  }

  /** Special-token split, basic tokenization and WordPiece of one text, with offsets and word ids. */
  private encodeText(text: string): SeqTokens {
    const out: SeqTokens = { ids: [], starts: [], ends: [], wordIds: [] };
    if (this.splitter.empty) {
      this.pieces(text, 0, text.length, 0, out);
      return out;
    }
    let wordId = 0;
    for (const seg of this.splitter.split(text)) {
      // A special token typed in the text is one token (and one word) over its original span.
      if (seg.tokenId >= 0) pushToken(out, seg.tokenId, seg.start, seg.end, wordId++);
      else wordId = this.pieces(text, seg.start, seg.end, wordId, out);
    }
    return out;
  }

  /** Word pieces of text[start, end) appended to out; returns the next word id. */
  private pieces(text: string, start: number, end: number, firstWordId: number, out: SeqTokens): number {
    const words = this.words;
    words.length = 0;
    this.basic.split(text, start, end, words);
    for (let w = 0; w < words.length; w++) {
      const word = words[w]!;
      const whole = this.wordpiece.wholeWordId(word.text);
      if (whole >= 0) {
        pushToken(out, whole, word.start, word.end, firstWordId + w);
        continue;
      }
      const pieces = this.wordpiece.tokenize(word.text);
      const map = word.map;
      let ps = 0;
      for (let p = 0; p < pieces.length; p += 2) {
        const pe = pieces[p + 1]!;
        if (map === null) pushToken(out, pieces[p]!, word.start + ps, word.start + pe, firstWordId + w);
        else pushToken(out, pieces[p]!, map[2 * ps]!, map[2 * pe - 1]!, firstWordId + w);
        ps = pe;
      }
    }
    return firstWordId + words.length;
  }
}

function pushToken(out: SeqTokens, id: number, start: number, end: number, wordId: number): void {
  out.ids.push(id);
  out.starts.push(start);
  out.ends.push(end);
  out.wordIds.push(wordId);
}

/** transformers' `_get_padding_truncation_strategies`: maxLength alone (no padding) means longest_first. */
function truncationStrategy(options: EncodeOptions): TruncationStrategy | null {
  const t = options.truncation;
  if (t === undefined) return options.maxLength !== undefined && !options.padding ? 'longest_first' : null;
  if (t === false) return null;
  return t === true ? 'longest_first' : t;
}
