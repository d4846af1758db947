// Truncation strategies, padding modes and batch buffers, against transformers' documented
// behaviour (truncate_sequences: one token at a time from the longer sequence, second on ties).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TruncationError, fromVocabTxt } from '../../../src/tokenizer';
import { truncatedLengths } from '../../../src/tokenizer/postprocess';
import { BERT_UNCASED_CONFIG, BERT_UNCASED_VOCAB } from './reference';

const tok = fromVocabTxt(readFileSync(BERT_UNCASED_VOCAB, 'utf8'), BERT_UNCASED_CONFIG);

// 6 and 4 word pieces, every word one piece.
const A = 'one two three four five six';
const B = 'seven eight nine ten';

/** transformers' longest_first loop, literally: remove one token at a time. */
function hfLongestFirst(a: number, b: number, budget: number): [number, number] {
  while (a + b > budget) {
    if (a > b) a--;
    else b--;
  }
  return [a, b];
}

describe('truncation', () => {
  it('longest_first lengths equal the one-at-a-time loop for every small case', () => {
    for (let a = 0; a <= 12; a++)
      for (let b = 0; b <= 12; b++)
        for (let budget = 0; budget <= 26; budget++) {
          expect(truncatedLengths(a, b, budget, 'longest_first'), `${a},${b},${budget}`).toEqual(
            hfLongestFirst(a, b, budget),
          );
        }
  });

  it('longest_first on a pair keeps the first one longer on an odd budget', () => {
    const e = tok.encode(A, B, { maxLength: 10, truncation: 'longest_first' });
    // budget 7: 6+4 -> 5+4 -> 4+4 -> 4+3
    expect(e.tokens).toEqual(['[CLS]', 'one', 'two', 'three', 'four', '[SEP]', 'seven', 'eight', 'nine', '[SEP]']);
    expect(e.tokenTypeIds).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('truncation defaults to longest_first when only maxLength is given (as HF)', () => {
    expect(tok.encode(A, B, { maxLength: 10 }).inputIds).toEqual(
      tok.encode(A, B, { maxLength: 10, truncation: true }).inputIds,
    );
    expect(tok.encode(A, null, { maxLength: 4 }).tokens).toEqual(['[CLS]', 'one', 'two', '[SEP]']);
    // ...but not when padding is requested too (transformers only defaults it without padding).
    expect(tok.encode(A, null, { maxLength: 4, padding: 'max_length' }).inputIds).toHaveLength(8);
  });

  it('truncation: true without maxLength uses model_max_length', () => {
    const long = Array.from({ length: 600 }, () => 'word').join(' ');
    expect(tok.encode(long, null, { truncation: true }).inputIds).toHaveLength(512);
    expect(tok.encode(long).inputIds).toHaveLength(602);
  });

  it('only_first and only_second cut just that sequence', () => {
    expect(tok.encode(A, B, { maxLength: 9, truncation: 'only_first' }).tokens).toEqual([
      '[CLS]',
      'one',
      'two',
      '[SEP]',
      'seven',
      'eight',
      'nine',
      'ten',
      '[SEP]',
    ]);
    expect(tok.encode(A, B, { maxLength: 11, truncation: 'only_second' }).tokens).toEqual([
      '[CLS]',
      'one',
      'two',
      'three',
      'four',
      'five',
      'six',
      '[SEP]',
      'seven',
      'eight',
      '[SEP]',
    ]);
    // Down to a single token is allowed.
    expect(tok.encode(A, B, { maxLength: 10, truncation: 'only_second' }).tokens.slice(7)).toEqual([
      '[SEP]',
      'seven',
      '[SEP]',
    ]);
    expect(tok.encode(A, null, { maxLength: 5, truncation: 'only_first' }).tokens).toEqual([
      '[CLS]',
      'one',
      'two',
      'three',
      '[SEP]',
    ]);
  });

  // Decision: like HF's fast (Rust) tokenizer, impossible truncation throws; transformers' slow
  // tokenizer would only log an error and return the sequences untruncated.
  it.each([
    ['only_second would empty the second sequence', A, B, 9, 'only_second'],
    ['only_first would empty the first sequence', A, B, 7, 'only_first'],
    ['only_second on a single sequence', A, null, 5, 'only_second'],
  ] as const)('throws TruncationError when %s', (_, a, b, maxLength, truncation) => {
    expect(() => tok.encode(a, b, { maxLength, truncation })).toThrow(TruncationError);
  });

  it('throws when maxLength cannot hold the special tokens', () => {
    expect(() => tok.encode(A, B, { maxLength: 2, truncation: true })).toThrow(/special tokens/);
    expect(() => tok.encode(A, null, { maxLength: 1, truncation: true })).toThrow(/special tokens/);
    // Exactly the special tokens is allowed: both sequences vanish.
    expect(tok.encode(A, B, { maxLength: 3, truncation: true }).tokens).toEqual(['[CLS]', '[SEP]', '[SEP]']);
  });

  it('no truncation needed leaves everything, and offsets/word ids are cut along with ids', () => {
    const e = tok.encode(A, B, { maxLength: 8, truncation: 'longest_first' });
    expect(e.tokens).toEqual(['[CLS]', 'one', 'two', 'three', '[SEP]', 'seven', 'eight', '[SEP]']);
    expect(e.offsets).toEqual([
      [0, 0],
      [0, 3],
      [4, 7],
      [8, 13],
      [0, 0],
      [0, 5],
      [6, 11],
      [0, 0],
    ]);
    expect(e.wordIds).toEqual([null, 0, 1, 2, null, 0, 1, null]);
    expect(tok.encode(A, B, { maxLength: 512 }).inputIds).toHaveLength(13);
  });
});

describe('padding and batches', () => {
  it("'max_length' pads a single encoding with [PAD], mask 0, offsets [0,0], word id null", () => {
    const e = tok.encode('hi there', null, { maxLength: 6, padding: 'max_length' });
    expect(e.tokens).toEqual(['[CLS]', 'hi', 'there', '[SEP]', '[PAD]', '[PAD]']);
    expect(e.inputIds.slice(4)).toEqual([tok.padId, tok.padId]);
    expect(e.attentionMask).toEqual([1, 1, 1, 1, 0, 0]);
    expect(e.tokenTypeIds).toEqual([0, 0, 0, 0, 0, 0]);
    expect(e.offsets.slice(4)).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(e.wordIds.slice(4)).toEqual([null, null]);
    expect(e.specialTokensMask).toEqual([1, 0, 0, 1, 1, 1]);
    // 'longest' on one encoding does nothing.
    expect(tok.encode('hi there', null, { padding: 'longest' }).inputIds).toHaveLength(4);
  });

  it('batch padded to the longest gives row-major [B*T] Int32Arrays', () => {
    const b = tok.encodeBatch(['hi', ['hi there', 'you'], 'a b c d e']);
    expect(b.shape).toEqual([3, 7]);
    expect(b.inputIds).toBeInstanceOf(Int32Array);
    expect(b.inputIds).toHaveLength(21);
    const [B, T] = b.shape;
    for (let r = 0; r < B; r++) {
      const e = b.encodings[r]!;
      expect(e.inputIds).toHaveLength(T);
      expect(Array.from(b.inputIds.subarray(r * T, (r + 1) * T))).toEqual(e.inputIds);
      expect(Array.from(b.tokenTypeIds.subarray(r * T, (r + 1) * T))).toEqual(e.tokenTypeIds);
      expect(Array.from(b.attentionMask.subarray(r * T, (r + 1) * T))).toEqual(e.attentionMask);
    }
    expect(b.encodings[1]!.tokenTypeIds).toEqual([0, 0, 0, 0, 1, 1, 0]);
    expect(b.encodings[0]!.attentionMask).toEqual([1, 1, 1, 0, 0, 0, 0]);
  });

  it("batch 'max_length' pads every row to maxLength and truncates longer ones", () => {
    const b = tok.encodeBatch(['hi', A], { maxLength: 6, padding: 'max_length', truncation: true });
    expect(b.shape).toEqual([2, 6]);
    expect(b.encodings[1]!.tokens).toEqual(['[CLS]', 'one', 'two', 'three', 'four', '[SEP]']);
  });

  it('batch without padding needs equal lengths', () => {
    expect(() => tok.encodeBatch(['hi', 'hi there'], { padding: false })).toThrow(/equal/);
    expect(tok.encodeBatch(['hi you', 'hi there'], { padding: false }).shape).toEqual([2, 4]);
  });

  it('addSpecialTokens: false leaves bare word pieces', () => {
    const e = tok.encode('hi', 'there', { addSpecialTokens: false });
    expect(e.tokens).toEqual(['hi', 'there']);
    expect(e.tokenTypeIds).toEqual([0, 1]);
  });
});
