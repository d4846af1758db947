// WordPiece (Google `tokenization.py` WordpieceTokenizer, HF tokenizers `models/wordpiece`):
// greedy longest-match-first; pieces after the first carry the `##` prefix; a word longer than
// max_input_chars_per_word code points, or with a remainder no vocab entry starts, is one [UNK].
import type { Vocab } from './vocab';

export interface WordPieceOptions {
  unkToken: string;
  continuingSubwordPrefix: string;
  maxInputCharsPerWord: number;
  /** Words remembered (word -> pieces); the cache is emptied when it fills. */
  cacheSize?: number;
}

/**
 * Pieces of one word, flat: [id0, end0, id1, end1, ...], where end is the UTF-16 index in the
 * word where that piece stops (the next one starts there). An unknown word is [unkId, word.length].
 */
export type Pieces = Int32Array;

const DEFAULT_CACHE = 100_000;

export class WordPiece {
  readonly unkId: number;
  private readonly vocab: Map<string, number>;
  /** Continuation pieces keyed without their prefix, so lookups need no string concatenation. */
  private readonly continuations = new Map<string, number>();
  private readonly maxFirstLen: number;
  private readonly maxContLen: number;
  private readonly maxChars: number;
  private readonly cache = new Map<string, Pieces>();
  private readonly cacheSize: number;

  constructor(vocab: Vocab, options: WordPieceOptions) {
    this.vocab = vocab.tokenToId;
    this.unkId = vocab.requireId(options.unkToken, 'unknown');
    this.maxChars = options.maxInputCharsPerWord;
    this.cacheSize = options.cacheSize ?? DEFAULT_CACHE;
    const prefix = options.continuingSubwordPrefix;
    let maxFirst = 0;
    let maxCont = 0;
    for (const [tok, id] of this.vocab) {
      if (tok.length > maxFirst) maxFirst = tok.length;
      if (prefix.length > 0 && tok.startsWith(prefix) && tok.length > prefix.length) {
        const rest = tok.slice(prefix.length);
        this.continuations.set(rest, id);
        if (rest.length > maxCont) maxCont = rest.length;
      }
    }
    // An empty prefix means continuation pieces are looked up like first pieces.
    if (prefix.length === 0) {
      this.continuations = this.vocab;
      maxCont = maxFirst;
    }
    this.maxFirstLen = maxFirst;
    this.maxContLen = maxCont;
  }

  /** Id of the word when the whole word is one vocab entry (most words), else -1. */
  wholeWordId(word: string): number {
    if (word.length > this.maxFirstLen) return -1;
    return this.vocab.get(word) ?? -1;
  }

  tokenize(word: string): Pieces {
    let pieces = this.cache.get(word);
    if (pieces === undefined) {
      pieces = this.compute(word);
      if (this.cache.size >= this.cacheSize) this.cache.clear();
      this.cache.set(word, pieces);
    }
    return pieces;
  }

  private compute(word: string): Pieces {
    const n = word.length;
    if (n > this.maxChars && codePointCount(word) > this.maxChars) return Int32Array.of(this.unkId, n);
    const out: number[] = [];
    let start = 0;
    while (start < n) {
      const first = start === 0;
      const table = first ? this.vocab : this.continuations;
      let end = Math.min(n, start + (first ? this.maxFirstLen : this.maxContLen));
      let id: number | undefined;
      while (end > start) {
        // Never cut a surrogate pair: Python iterates code points.
        if (end < n && isLowSurrogate(word.charCodeAt(end))) {
          end--;
          continue;
        }
        id = table.get(first && end === n ? word : word.slice(start, end));
        if (id !== undefined) break;
        end--;
      }
      if (id === undefined) return Int32Array.of(this.unkId, n);
      out.push(id, end);
      start = end;
    }
    return Int32Array.from(out);
  }
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function codePointCount(s: string): number {
  let n = s.length;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i - 1);
    if (isLowSurrogate(s.charCodeAt(i)) && c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}
