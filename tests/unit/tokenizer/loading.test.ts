// Loading from vocab.txt + tokenizer_config.json and from tokenizer.json (fast-tokenizer format).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Vocab, fromTokenizerJson, fromVocabTxt, loadBertTokenizer } from '../../../src/tokenizer';
import { BERT_UNCASED_CONFIG, BERT_UNCASED_VOCAB, bertUncasedTokenizerJson, loadCorpus } from './reference';
import { sharedPath } from '../shared';

const vocabTxt = readFileSync(BERT_UNCASED_VOCAB, 'utf8');

/** A tiny cased vocab to see lower-casing and accent options act independently. */
const TINY =
  ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'Hello', 'hello', 'Héllo', 'héllo', '!', '##!', '[X]'].join('\n') +
  '\n';

describe('vocab.txt', () => {
  it('reads the shared bert-base-uncased vocab: 30522 ids, specials at HF positions', () => {
    const v = Vocab.fromText(vocabTxt);
    expect(v.size).toBe(30522);
    expect([v.id('[PAD]'), v.id('[UNK]'), v.id('[CLS]'), v.id('[SEP]'), v.id('[MASK]')]).toEqual([
      0, 100, 101, 102, 103,
    ]);
    expect(v.token(1996)).toBe('the');
  });

  it('accepts CRLF line ends and has no empty trailing token', () => {
    expect(Vocab.fromText('a\r\nb\r\n').idToToken).toEqual(['a', 'b']);
  });

  it('the tiny model max length and special names come from tokenizer_config.json', () => {
    const dir = sharedPath('models', 'studio-bert-tiny-mlm');
    const tok = loadBertTokenizer({
      vocabTxt: readFileSync(`${dir}/vocab.txt`, 'utf8'),
      tokenizerConfigJson: readFileSync(`${dir}/tokenizer_config.json`, 'utf8'),
    });
    const config = JSON.parse(readFileSync(`${dir}/tokenizer_config.json`, 'utf8')) as { model_max_length: number };
    expect(tok.modelMaxLength).toBe(config.model_max_length);
    expect(tok.vocab.token(tok.clsId)).toBe('[CLS]');
  });

  it.each([
    [{ do_lower_case: true }, ['hello', '!']],
    [{ do_lower_case: true, strip_accents: false }, ['héllo', '!']],
    [{ do_lower_case: false }, ['Héllo', '!']],
    [{ do_lower_case: false, strip_accents: true }, ['Hello', '!']],
  ])('options %j', (config, tokens) => {
    expect(fromVocabTxt(TINY, config).tokenize('Héllo!')).toEqual(tokens);
  });

  it('additional_special_tokens and {content} special token entries are honoured', () => {
    const tok = fromVocabTxt(TINY, {
      do_lower_case: false,
      additional_special_tokens: [{ content: '[X]' }],
      mask_token: { content: '[MASK]' },
    });
    expect(tok.tokenize('Hello[X]!')).toEqual(['Hello', '[X]', '!']);
    expect(tok.decode(tok.encode('Hello [X]').inputIds, { skipSpecialTokens: true })).toBe('Hello');
  });

  it('splits on several special tokens with different first characters, leftmost first', () => {
    const vocab = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '<s>', 'a', 'b', '[', '<'].join('\n');
    const tok = fromVocabTxt(vocab, { do_lower_case: false, additional_special_tokens: ['<s>'] });
    expect(tok.tokenize('a[MASK]b<s>[MASK]<s>a<x[y')).toEqual([
      'a',
      '[MASK]',
      'b',
      '<s>',
      '[MASK]',
      '<s>',
      'a',
      '<',
      '[UNK]',
      '[',
      '[UNK]',
    ]);
    expect(tok.tokenize('<s')).toEqual(['<', '[UNK]']);
  });

  it('a special token missing from the vocab is an error', () => {
    expect(() => fromVocabTxt('a\nb\n')).toThrow(/not in the vocabulary/);
    expect(() => loadBertTokenizer({})).toThrow(/vocab.txt or tokenizer.json/);
  });
});

describe('tokenizer.json', () => {
  const json = bertUncasedTokenizerJson(vocabTxt);

  it('gives the same encodings as vocab.txt + tokenizer_config.json on 2,000 real inputs', () => {
    const a = fromVocabTxt(vocabTxt, BERT_UNCASED_CONFIG);
    const b = loadBertTokenizer({
      tokenizerJson: JSON.stringify(json),
      tokenizerConfigJson: JSON.stringify({ model_max_length: 512 }),
    });
    expect(b.modelMaxLength).toBe(512);
    const corpus = loadCorpus({ sst2: 500, sms: 300, agNews: 300, imdb: 50, goEmotions: 550, rtePairs: 300 });
    for (const item of [...corpus, 'Héllo [MASK] 東京!']) {
      const x = typeof item === 'string' ? a.encode(item) : a.encode(item[0], item[1]);
      const y = typeof item === 'string' ? b.encode(item) : b.encode(item[0], item[1]);
      expect(y).toEqual(x);
    }
  });

  it('reads the normalizer flags, also inside a Sequence, and a BertProcessing post-processor', () => {
    const cased = {
      ...json,
      normalizer: {
        type: 'Sequence',
        normalizers: [
          {
            type: 'BertNormalizer',
            clean_text: true,
            handle_chinese_chars: true,
            strip_accents: null,
            lowercase: false,
          },
        ],
      },
      post_processor: { type: 'BertProcessing', sep: ['[SEP]', 102], cls: ['[CLS]', 101] },
    };
    const tok = fromTokenizerJson(cased);
    expect(tok.encode('Hello').tokens).toEqual(['[CLS]', '[UNK]', '[SEP]']);
    expect(tok.encode('hello').tokens).toEqual(['[CLS]', 'hello', '[SEP]']);
    // transformers' BertTokenizerFast lets tokenizer_config.json's do_lower_case override the normalizer.
    expect(fromTokenizerJson(cased, { do_lower_case: true }).encode('Hello').tokens).toEqual([
      '[CLS]',
      'hello',
      '[SEP]',
    ]);
  });

  it('rejects tokenizers that are not BERT WordPiece', () => {
    expect(() => fromTokenizerJson({ ...json, model: { type: 'BPE', vocab: {} } })).toThrow(/WordPiece/);
    expect(() => fromTokenizerJson({ ...json, pre_tokenizer: { type: 'ByteLevel' } })).toThrow(/pre_tokenizer/);
    expect(() => loadBertTokenizer({ tokenizerJson: '{' })).toThrow(/not valid JSON/);
  });
});
