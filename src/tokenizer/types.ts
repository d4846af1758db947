// Public shapes of the tokenizer's results and options (names follow HF's BatchEncoding fields).

export type TruncationStrategy = 'longest_first' | 'only_first' | 'only_second';
export type PaddingStrategy = 'longest' | 'max_length';

export interface EncodeOptions {
  /** Add [CLS] ... [SEP] (default true). */
  addSpecialTokens?: boolean;
  /** Total length limit including special tokens; defaults to modelMaxLength when truncating. */
  maxLength?: number;
  /**
   * true = 'longest_first'. If omitted, maxLength is given and padding is off, HF truncates
   * longest_first; with padding on it does not truncate (pass truncation explicitly).
   */
  truncation?: boolean | TruncationStrategy;
  /** true = 'longest'. A single encode treats 'longest' as no padding. */
  padding?: boolean | PaddingStrategy;
}

/** One encoded example, all arrays of the same length (one entry per token). */
export interface Encoding {
  inputIds: number[];
  tokenTypeIds: number[];
  attentionMask: number[];
  tokens: string[];
  /** [start, end) in the ORIGINAL text of that token's sequence (UTF-16 indices); [0, 0] for [CLS]/[SEP]/[PAD]. */
  offsets: [number, number][];
  /** 0 or 1: which input text the token came from; null for [CLS]/[SEP]/[PAD]. */
  sequenceIds: (0 | 1 | null)[];
  /** Index of the whitespace/punctuation-split word within its sequence; null for [CLS]/[SEP]/[PAD]. */
  wordIds: (number | null)[];
  /** 1 for tokens added by the template or by padding. */
  specialTokensMask: number[];
}

/** A batch padded to one length T: flat row-major [B * T] buffers, transferable to a worker. */
export interface BatchEncoding {
  inputIds: Int32Array;
  tokenTypeIds: Int32Array;
  attentionMask: Int32Array;
  /** [B, T] */
  shape: [number, number];
  encodings: Encoding[];
}

/** One batch input: a text or a (text, textPair) pair. */
export type TextInput = string | readonly [string, string];

export interface DecodeOptions {
  skipSpecialTokens?: boolean;
  /** HF clean_up_tokenization (" ." -> ".", " n't" -> "n't", ...); defaults to the tokenizer's setting. */
  cleanUpTokenizationSpaces?: boolean;
}

/** Thrown when a pair cannot be truncated to maxLength with the chosen strategy (as HF's fast tokenizer raises). */
export class TruncationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TruncationError';
  }
}
