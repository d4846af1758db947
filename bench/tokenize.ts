// Tokenizer throughput: ours vs @huggingface/tokenizers (transformers.js's tokenizer) on 20,000 real
// sentences from the shared datasets, same process, warmed up, asserting identical ids.
// Standalone: `npx tsx bench/tokenize.ts`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromVocabTxt, type BertTokenizer } from '../src/tokenizer';
import {
  BERT_UNCASED_CONFIG,
  BERT_UNCASED_VOCAB,
  loadCorpus,
  referenceEncode,
  referenceTokenizer,
  type CorpusItem,
} from '../tests/unit/tokenizer/reference';
import { formatBenchResult, type BenchResult } from './types';

const ROUNDS = 3;
const REFERENCE = '@huggingface/tokenizers 0.2.0';
const BATCH = 32;

function oursEncode(tok: BertTokenizer, item: CorpusItem): number[] {
  return typeof item === 'string' ? tok.encode(item).inputIds : tok.encode(item[0], item[1]).inputIds;
}

/** Median seconds of `ROUNDS` timed runs of fn, run in turns with the other contenders by the caller. */
function time(fn: () => number): { seconds: number; tokens: number } {
  const t0 = performance.now();
  const tokens = fn();
  return { seconds: (performance.now() - t0) / 1000, tokens };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export async function benchTokenize(): Promise<BenchResult[]> {
  const vocabTxt = readFileSync(BERT_UNCASED_VOCAB, 'utf8');
  const corpus = loadCorpus({ sst2: 6000, sms: 3000, agNews: 4000, imdb: 500, goEmotions: 5500, rtePairs: 1000 });
  const ours = fromVocabTxt(vocabTxt, BERT_UNCASED_CONFIG);
  const ref = referenceTokenizer(vocabTxt);

  // Warm-up pass doubles as the parity check.
  let mismatches = 0;
  for (const item of corpus) {
    const a = oursEncode(ours, item);
    const b = referenceEncode(ref, item).ids;
    if (a.length !== b.length || a.some((v, i) => v !== b[i])) mismatches++;
  }
  if (mismatches > 0)
    throw new Error(`tokenizer bench: ${mismatches} of ${corpus.length} inputs differ from the reference`);

  const runOurs = (): number => corpus.reduce((n, item) => n + oursEncode(ours, item).length, 0);
  const runRef = (): number => corpus.reduce((n, item) => n + referenceEncode(ref, item).ids.length, 0);
  const runBatch = (): number => {
    let n = 0;
    for (let i = 0; i < corpus.length; i += BATCH) {
      const batch = ours.encodeBatch(corpus.slice(i, i + BATCH), { maxLength: 128, truncation: true });
      n += batch.attentionMask.reduce((s, v) => s + v, 0);
    }
    return n;
  };
  const rates: Record<'ours' | 'ref' | 'batch', number[]> = { ours: [], ref: [], batch: [] };
  let tokens = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const o = time(runOurs);
    const f = time(runRef);
    const bt = time(runBatch);
    if (o.tokens !== f.tokens) throw new Error('token counts differ between runs');
    tokens = o.tokens;
    rates.ours.push(o.tokens / o.seconds);
    rates.ref.push(f.tokens / f.seconds);
    rates.batch.push(bt.tokens / bt.seconds);
  }
  const ourRate = median(rates.ours);
  const refRate = median(rates.ref);
  const config = `bert-base-uncased vocab, ${corpus.length} texts (${tokens} tokens), ids identical to reference`;
  return [
    {
      name: 'tokenize.encode',
      backend: 'ts',
      config,
      value: ourRate,
      unit: 'tokens/s',
      reference: REFERENCE,
      reference_value: refRate,
      ratio: ourRate / refRate,
    },
    {
      name: 'tokenize.encodeBatch',
      backend: 'ts',
      config: `same texts, batches of ${BATCH}, maxLength 128, padded (real tokens counted)`,
      value: median(rates.batch),
      unit: 'tokens/s',
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchTokenize().then(
    (results) => results.forEach((r) => console.log(formatBenchResult(r))),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
