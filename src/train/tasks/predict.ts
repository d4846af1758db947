// Single-input inference for the "try it" box: entities in a free text (words split on whitespace,
// tagged at each word's first piece, chunked with seqeval's rules) and the answer to a question
// over a context (all windows, best n-best span).
import type { BertModel } from '../../model';
import type { BertTokenizer } from '../../tokenizer';
import { postprocessQa, qaLogits, QA_POSTPROCESS_DEFAULTS, type PostprocessOptions, type QaPrediction } from './qa';
import { qaFeatures, type QaFeatureOptions } from './qaFeatures';
import { getEntities } from './seqeval';
import { encodeWords, tokenClsLogits, wordPredictions } from './tokenCls';

export interface PredictedEntity {
  type: string;
  /** Character span in the input text. */
  start: number;
  end: number;
  text: string;
}

export interface TaggedText {
  words: Array<{ text: string; start: number; end: number; tag: string }>;
  entities: PredictedEntity[];
}

export async function predictEntities(
  model: BertModel,
  tokenizer: BertTokenizer,
  labels: readonly string[],
  text: string,
  maxLength = 512,
): Promise<TaggedText> {
  const spans = [...text.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
  const { inputIds, wordIds } = encodeWords(
    tokenizer,
    spans.map((s) => s.text),
    maxLength,
  );
  const example = { inputIds, wordIds, labels: inputIds.map(() => -100) };
  const [logits] = await tokenClsLogits(model, [example], { batchSize: 1, padId: tokenizer.padId });
  const byWord = wordPredictions(logits!, example, labels.length);
  // Words without a piece (or cut by maxLength) read as "O".
  const words = spans.map((s, i) => ({ ...s, tag: labels[byWord.get(i) ?? -1] ?? 'O' }));
  const entities = getEntities(words.map((w) => w.tag)).map((e) => {
    const start = words[e.start]!.start;
    const end = words[e.end]!.end;
    return { type: e.type, start, end, text: text.slice(start, end) };
  });
  return { words, entities };
}

export async function answerQuestion(
  model: BertModel,
  tokenizer: BertTokenizer,
  question: string,
  context: string,
  o: QaFeatureOptions & Partial<PostprocessOptions> = { maxLength: 384, docStride: 128 },
): Promise<QaPrediction> {
  const examples = [{ id: 'q', question, context, answers: [] }];
  const features = qaFeatures(examples, tokenizer, o);
  const logits = await qaLogits(model, features, { batchSize: 16, padId: tokenizer.padId });
  return postprocessQa(examples, features, logits, { ...QA_POSTPROCESS_DEFAULTS, ...o })[0]!;
}
