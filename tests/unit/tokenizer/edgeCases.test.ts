// Table-driven edge cases (text -> tokens -> offsets), checked against HF semantics and, where it
// is right, against the reference @huggingface/tokenizers as well.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromVocabTxt } from '../../../src/tokenizer';
import { BERT_UNCASED_CONFIG, BERT_UNCASED_VOCAB, referenceTokenizer } from './reference';

const vocabTxt = readFileSync(BERT_UNCASED_VOCAB, 'utf8');
const tok = fromVocabTxt(vocabTxt, BERT_UNCASED_CONFIG);
const ref = referenceTokenizer(vocabTxt);

interface Case {
  name: string;
  text: string;
  tokens: string[];
  /** The original text each token's offsets cover. */
  spans: string[];
  wordIds?: number[];
  /**
   * Where the reference (tokenizers.js 0.2.0) departs from HF transformers / Rust tokenizers:
   * - it scans CJK per UTF-16 unit, so ideographs outside the BMP (U+20000…) get no spaces;
   *   transformers' `_is_chinese_char(ord(char))` and Rust's `is_chinese_char` do space them.
   * - its control test is Cc|Cf|Co|Cs; transformers' `_is_control` drops every category C*
   *   (also Cn, unassigned) and Rust's `char::is_other` likewise. (Google's tokenization.py drops
   *   only Cc/Cf; we follow HF, whose checkpoints we load.)
   */
  referenceDiffers?: string;
}

const CASES: Case[] = [
  {
    name: 'accents stripped, offsets on the accented original',
    text: 'Héllo Wörld!',
    tokens: ['hello', 'world', '!'],
    spans: ['Héllo', 'Wörld', '!'],
    wordIds: [0, 1, 2],
  },
  { name: 'decomposed accent inside a word', text: 'He\u0301llo', tokens: ['hello'], spans: ['He\u0301llo'] },
  { name: 'accents in two words', text: 'naïve café', tokens: ['naive', 'cafe'], spans: ['naïve', 'café'] },
  {
    name: 'ligature (NFD keeps it) split into pieces',
    text: 'ﬁne',
    tokens: ['ﬁ', '##ne'],
    spans: ['ﬁ', 'ne'],
    wordIds: [0, 0],
  },
  {
    name: 'dotted capital I lower-cases to two code units',
    text: 'İstanbul',
    tokens: ['istanbul'],
    spans: ['İstanbul'],
  },
  {
    name: 'final sigma before case-ignorable punctuation',
    text: 'ΟΔΟΣ.',
    tokens: ['ο', '##δ', '##ος', '.'],
    spans: ['Ο', 'Δ', 'ΟΣ', '.'],
  },
  { name: 'initial and final sigma', text: 'ΣΑΣ', tokens: ['σ', '##α', '##ς'], spans: ['Σ', 'Α', 'Σ'] },
  {
    name: 'Hangul syllable decomposes to jamo, all pointing at the syllable',
    text: '한',
    tokens: ['ᄒ', '##ᅡ', '##ᆫ'],
    spans: ['한', '한', '한'],
  },
  {
    name: 'CJK ideographs become single words',
    text: '東京タワー',
    tokens: ['東', '京', 'タ', '##ワ', '##ー'],
    spans: ['東', '京', 'タ', 'ワ', 'ー'],
    wordIds: [0, 1, 2, 2, 2],
  },
  {
    name: 'CJK outside the BMP',
    text: '𠀀x',
    tokens: ['[UNK]', 'x'],
    spans: ['𠀀', 'x'],
    referenceDiffers: 'astral CJK',
  },
  {
    name: 'NUL, U+FFFD and ZWJ removed inside a word',
    text: 'a\u0000b\uFFFDc\u200Dd',
    tokens: ['abc', '##d'],
    spans: ['a\u0000b\uFFFDc', 'd'],
  },
  {
    name: 'unassigned code point removed',
    text: 'x\u0378y',
    tokens: ['x', '##y'],
    spans: ['x', 'y'],
    referenceDiffers: 'Cn',
  },
  {
    name: 'tab, newline, CRLF separate words',
    text: 'a\tb\nc\r\nd',
    tokens: ['a', 'b', 'c', 'd'],
    spans: ['a', 'b', 'c', 'd'],
  },
  {
    name: 'no-break and ideographic spaces separate words',
    text: 'a\u00A0b\u3000c',
    tokens: ['a', 'b', 'c'],
    spans: ['a', 'b', 'c'],
  },
  {
    name: 'word over 100 characters is one [UNK]',
    text: `${'x'.repeat(101)} ok`,
    tokens: ['[UNK]', 'ok'],
    spans: ['x'.repeat(101), 'ok'],
  },
  { name: 'word with an unmatchable piece is one [UNK]', text: 'hello😀', tokens: ['[UNK]'], spans: ['hello😀'] },
  {
    name: 'emoji with variation selector (Mn, stripped)',
    text: 'I ❤️ it',
    tokens: ['i', '[UNK]', 'it'],
    spans: ['I', '❤', 'it'],
  },
  {
    name: 'ASCII punctuation',
    text: "don't-stop...now",
    tokens: ['don', "'", 't', '-', 'stop', '.', '.', '.', 'now'],
    spans: ['don', "'", 't', '-', 'stop', '.', '.', '.', 'now'],
  },
  {
    name: 'Unicode punctuation',
    text: '«hi»—ok¿',
    tokens: ['«', 'hi', '»', '—', 'ok', '¿'],
    spans: ['«', 'hi', '»', '—', 'ok', '¿'],
  },
  {
    name: 'ASCII symbols count as punctuation',
    text: '$5^2`~',
    tokens: ['$', '5', '^', '2', '`', '~'],
    spans: ['$', '5', '^', '2', '`', '~'],
  },
  {
    name: 'GREEK VARIA decomposes to a backtick, then splits',
    text: '\u1FEFa',
    tokens: ['`', 'a'],
    spans: ['\u1FEF', 'a'],
  },
  {
    name: '[MASK] in text kept whole',
    text: 'the [MASK] sat',
    tokens: ['the', '[MASK]', 'sat'],
    spans: ['the', '[MASK]', 'sat'],
    wordIds: [0, 1, 2],
  },
  { name: '[MASK] glued to words', text: 'x[MASK]y', tokens: ['x', '[MASK]', 'y'], spans: ['x', '[MASK]', 'y'] },
  {
    name: 'special tokens match case-sensitively',
    text: '[mask]',
    tokens: ['[', 'mask', ']'],
    spans: ['[', 'mask', ']'],
  },
  {
    name: 'word pieces share a word id',
    text: 'unaffable',
    tokens: ['una', '##ffa', '##ble'],
    spans: ['una', 'ffa', 'ble'],
    wordIds: [0, 0, 0],
  },
  { name: 'lone combining mark vanishes', text: ' \u0301 ', tokens: [], spans: [] },
];

describe('edge cases', () => {
  it.each(CASES)('$name', (c) => {
    const e = tok.encode(c.text, null, { addSpecialTokens: false });
    expect(e.tokens).toEqual(c.tokens);
    expect(e.offsets.map(([s, t]) => c.text.slice(s, t))).toEqual(c.spans);
    if (c.wordIds) expect(e.wordIds).toEqual(c.wordIds);
    expect(e.sequenceIds.every((s) => s === 0)).toBe(true);
    const refIds = ref.encode(c.text, { add_special_tokens: false }).ids;
    if (c.referenceDiffers) expect(refIds).not.toEqual(e.inputIds);
    else expect(refIds).toEqual(e.inputIds);
  });

  it('the 100-character limit applies to the normalised word', () => {
    const pieces = ['y', ...Array<string>(99).fill('##y')];
    expect(tok.tokenize('y'.repeat(100))).toEqual(pieces);
    // 101 characters before accent stripping, 100 after: still split, as transformers does.
    expect(tok.tokenize(`${'y'.repeat(99)}ý`)).toEqual(pieces);
    expect(tok.tokenize(`${'y'.repeat(100)}\u0301`)).toEqual(pieces);
    expect(tok.tokenize('y'.repeat(101))).toEqual(['[UNK]']);
    expect(ref.encode('y'.repeat(100), { add_special_tokens: false }).tokens).toEqual(pieces);
  });

  it('offsets of the second sequence index into the second text', () => {
    const e = tok.encode('Who?', 'Zoë wrote unaffable.');
    expect(e.tokens).toEqual(['[CLS]', 'who', '?', '[SEP]', 'zoe', 'wrote', 'una', '##ffa', '##ble', '.', '[SEP]']);
    expect(e.sequenceIds).toEqual([null, 0, 0, null, 1, 1, 1, 1, 1, 1, null]);
    expect(e.tokenTypeIds).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1]);
    expect(e.offsets).toEqual([
      [0, 0],
      [0, 3],
      [3, 4],
      [0, 0],
      [0, 3],
      [4, 9],
      [10, 13],
      [13, 16],
      [16, 19],
      [19, 20],
      [0, 0],
    ]);
    expect(e.wordIds).toEqual([null, 0, 1, null, 0, 1, 2, 2, 2, 3, null]);
    expect(e.specialTokensMask).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1]);
  });

  it.each(["Hello, world! It's fine.", "they're here and we've won, haven't we?", 'Paris is the capital of France.'])(
    'decode round trip: %s',
    (text) => {
      const ids = tok.encode(text).inputIds;
      expect(tok.decode(ids, { skipSpecialTokens: true })).toBe(text.toLowerCase());
      expect(tok.decode(ids)).toBe(`[CLS] ${text.toLowerCase()} [SEP]`);
    },
  );

  it('decode glues ## pieces and can skip special tokens or clean-up', () => {
    const ids = tok.encode('unaffable , ok').inputIds;
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe('unaffable, ok');
    expect(tok.decode(ids, { skipSpecialTokens: true, cleanUpTokenizationSpaces: false })).toBe('unaffable , ok');
    expect(tok.decode([tok.padId, tok.maskId, tok.unkId], { skipSpecialTokens: true })).toBe('');
  });
});
