// Parity with the reference @huggingface/tokenizers (transformers.js's tokenizer) on real text:
// identical ids and token type ids for 10,500 inputs from six datasets (RTE as sentence pairs,
// IMDb reviews whole), plus decode parity. Known reference deviations from HF transformers/Rust
// tokenizers (where ours follows HF) are pinned in edgeCases.test.ts, not here.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromVocabTxt, type BertTokenizer } from '../../../src/tokenizer';
import {
  BERT_UNCASED_CONFIG,
  BERT_UNCASED_VOCAB,
  loadCorpus,
  referenceEncode,
  referenceTokenizer,
  type CorpusItem,
} from './reference';

const vocabTxt = readFileSync(BERT_UNCASED_VOCAB, 'utf8');
let corpus: CorpusItem[];
let ours: BertTokenizer;
let ref: ReturnType<typeof referenceTokenizer>;

beforeAll(() => {
  corpus = loadCorpus({ sst2: 3000, sms: 2000, agNews: 2000, imdb: 300, goEmotions: 2200, rtePairs: 1000 });
  ours = fromVocabTxt(vocabTxt, BERT_UNCASED_CONFIG);
  ref = referenceTokenizer(vocabTxt);
});

describe('parity with @huggingface/tokenizers on real sentences', () => {
  it('uses at least 10,000 inputs, pairs and long reviews included', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(10_000);
    expect(corpus.filter((c) => typeof c !== 'string').length).toBe(1000);
  });

  it('produces identical ids and token type ids', () => {
    const mismatches: string[] = [];
    let tokens = 0;
    let longest = 0;
    for (const item of corpus) {
      const e = typeof item === 'string' ? ours.encode(item) : ours.encode(item[0], item[1]);
      const r = referenceEncode(ref, item);
      tokens += e.inputIds.length;
      longest = Math.max(longest, e.inputIds.length);
      const same =
        e.inputIds.length === r.ids.length &&
        e.inputIds.every((v, i) => v === r.ids[i] && e.tokenTypeIds[i] === r.typeIds[i]);
      if (!same && mismatches.length < 5) mismatches.push(JSON.stringify(item).slice(0, 200));
    }
    expect(mismatches).toEqual([]);
    // The corpus really exercises the tokenizer: long texts (IMDb) and plenty of tokens.
    expect(longest).toBeGreaterThan(512);
    expect(tokens).toBeGreaterThan(300_000);
  });

  it('decodes like the reference, with and without special tokens', () => {
    for (const item of corpus.filter((_, i) => i % 20 === 0)) {
      const ids = typeof item === 'string' ? ours.encode(item).inputIds : ours.encode(item[0], item[1]).inputIds;
      expect(ours.decode(ids)).toBe(ref.decode(ids));
      expect(ours.decode(ids, { skipSpecialTokens: true })).toBe(ref.decode(ids, { skip_special_tokens: true }));
    }
  });
});
