// Shared by the parity test and bench/tokenize.ts: real sentences from the shared datasets and
// the reference tokenizer (@huggingface/tokenizers, the tokenizer library of transformers.js)
// built from a bert-base-uncased tokenizer.json like the one on the Hugging Face Hub.
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { Tokenizer } from '@huggingface/tokenizers';
import { sharedPath } from '../shared';

export const BERT_UNCASED_VOCAB = sharedPath('models', 'vocab', 'bert-base-uncased-vocab.txt');

/** A corpus item: a text or a (text, textPair) pair. */
export type CorpusItem = string | [string, string];

function csvRows(rel: string[]): Record<string, string>[] {
  const text = readFileSync(sharedPath('data', ...rel), 'utf8');
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  return parsed.data;
}

/** AG News TSV: no header, no quoting, "text<TAB>label" per line. */
function agNewsTexts(): string[] {
  const text = readFileSync(sharedPath('data', 'ag_news', 'ag_news_train_subset10k.tsv'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.slice(0, l.lastIndexOf('\t')));
}

export interface CorpusCounts {
  sst2: number;
  sms: number;
  agNews: number;
  imdb: number;
  goEmotions: number;
  rtePairs: number;
}

/** The first `counts` rows of each dataset (whole texts, IMDb reviews untruncated). */
export function loadCorpus(counts: CorpusCounts): CorpusItem[] {
  const items: CorpusItem[] = [];
  const take = (rows: string[], n: number): void => {
    if (rows.length < n) throw new Error(`dataset has ${rows.length} rows, ${n} requested`);
    items.push(...rows.slice(0, n));
  };
  take(
    csvRows(['sst2', 'sst2_train.csv']).map((r) => r.text ?? ''),
    counts.sst2,
  );
  take(
    csvRows(['sms_spam', 'sms_spam.csv']).map((r) => r.text ?? ''),
    counts.sms,
  );
  take(agNewsTexts(), counts.agNews);
  take(
    csvRows(['imdb', 'imdb_train_sample2000.csv']).map((r) => r.text ?? ''),
    counts.imdb,
  );
  take(
    csvRows(['goemotions', 'goemotions_train.csv']).map((r) => r.text ?? ''),
    counts.goEmotions,
  );
  const rte = csvRows(['rte', 'rte_train.csv']).map((r): [string, string] => [r.sentence1 ?? '', r.sentence2 ?? '']);
  if (rte.length < counts.rtePairs) throw new Error(`rte has ${rte.length} rows`);
  items.push(...rte.slice(0, counts.rtePairs));
  return items;
}

const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

/** bert-base-uncased's tokenizer.json, rebuilt from vocab.txt (what `tokenizers` saves for it). */
export function bertUncasedTokenizerJson(vocabTxt: string): Record<string, unknown> {
  const lines = vocabTxt.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const vocab: Record<string, number> = {};
  lines.forEach((tok, i) => (vocab[tok] = i));
  const id = (t: string): number => {
    const v = vocab[t];
    if (v === undefined) throw new Error(`${t} missing from vocab`);
    return v;
  };
  const special = (t: string, typeId: number) => ({ SpecialToken: { id: t, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map((t) => ({
      id: id(t),
      content: t,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]', 0), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]', 0)],
      pair: [
        special('[CLS]', 0),
        { Sequence: { id: 'A', type_id: 0 } },
        special('[SEP]', 0),
        { Sequence: { id: 'B', type_id: 1 } },
        special('[SEP]', 1),
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

export const BERT_UNCASED_CONFIG = {
  do_lower_case: true,
  tokenize_chinese_chars: true,
  strip_accents: null,
  model_max_length: 512,
  clean_up_tokenization_spaces: true,
  tokenizer_class: 'BertTokenizer',
  unk_token: '[UNK]',
  sep_token: '[SEP]',
  pad_token: '[PAD]',
  cls_token: '[CLS]',
  mask_token: '[MASK]',
};

export function referenceTokenizer(vocabTxt: string): Tokenizer {
  return new Tokenizer(bertUncasedTokenizerJson(vocabTxt), BERT_UNCASED_CONFIG);
}

/** Reference ids with [CLS]/[SEP] and token type ids. */
export function referenceEncode(ref: Tokenizer, item: CorpusItem): { ids: number[]; typeIds: number[] } {
  const e =
    typeof item === 'string'
      ? ref.encode(item, { return_token_type_ids: true })
      : ref.encode(item[0], { text_pair: item[1], return_token_type_ids: true });
  return { ids: e.ids, typeIds: e.token_type_ids };
}
