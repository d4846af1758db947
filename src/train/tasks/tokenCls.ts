// Token classification (NER) as HF `run_ner.py` does it: each pre-split word is tokenised on its
// own (is_split_into_words), the word's label goes to its first word piece and every other piece,
// [CLS], [SEP] and padding get -100 (label_all_tokens=False); truncation keeps the first
// maxLength - 2 pieces. Evaluation compares tags at the labelled pieces only (so words truncated
// away or with no pieces are not scored, as in run_ner) with seqeval's entity-level metrics.
import * as tf from '@tensorflow/tfjs';
import type { TaggedSentence } from '../../data';
import { IGNORE_INDEX, type BertModel } from '../../model';
import type { BertTokenizer } from '../../tokenizer';
import { seqevalScores, type NerScores } from './seqeval';
import type { TaskBatch, TaskDataset } from './taskLoop';

export interface TokenClsExample {
  inputIds: number[];
  /** Tag id at each word's first piece, -100 elsewhere. */
  labels: number[];
  /** Word index of each piece (-1 for [CLS]/[SEP]), for mapping predictions back to words. */
  wordIds: number[];
}

export interface TokenClsMetrics extends NerScores {
  /** Mean cross-entropy over the labelled pieces. */
  loss: number;
  sentences: number;
}

/** Pieces of pre-split words: [CLS] pieces(w0) pieces(w1) ... [SEP], truncated to maxLength. */
export function encodeWords(
  tokenizer: BertTokenizer,
  words: readonly string[],
  maxLength: number,
): { inputIds: number[]; wordIds: number[] } {
  if (maxLength < 3) throw new Error(`maxLength must be at least 3, got ${maxLength}`);
  const inputIds = [tokenizer.clsId];
  const wordIds = [-1];
  for (let w = 0; w < words.length && inputIds.length < maxLength - 1; w++) {
    for (const id of tokenizer.encode(words[w]!, null, { addSpecialTokens: false }).inputIds) {
      if (inputIds.length >= maxLength - 1) break;
      inputIds.push(id);
      wordIds.push(w);
    }
  }
  inputIds.push(tokenizer.sepId);
  wordIds.push(-1);
  return { inputIds, wordIds };
}

/** Encodes sentences; throws if a tag is not in `labels` (the model could never predict it). */
export function tokenClsExamples(
  sentences: readonly TaggedSentence[],
  tokenizer: BertTokenizer,
  labels: readonly string[],
  maxLength: number,
): TokenClsExample[] {
  const id = new Map(labels.map((l, i) => [l, i]));
  const unknown = new Set<string>();
  const out = sentences.map((s) => {
    const { inputIds, wordIds } = encodeWords(tokenizer, s.tokens, maxLength);
    const tags = s.tags.map((t) => {
      const i = id.get(t);
      if (i === undefined) unknown.add(t);
      return i ?? IGNORE_INDEX;
    });
    const labelIds = wordIds.map((w, j) => (w < 0 || wordIds[j - 1] === w ? IGNORE_INDEX : tags[w]!));
    return { inputIds, labels: labelIds, wordIds };
  });
  if (unknown.size > 0)
    throw new Error(
      `tags not among the model's labels (${labels.join(', ')}): ${[...unknown].slice(0, 10).join(', ')}`,
    );
  return out;
}

/** Right-padded batch: pad id / mask 0 / label -100. */
export function tokenClsBatch(examples: readonly TokenClsExample[], rows: readonly number[], padId: number): TaskBatch {
  const b = rows.length;
  const t = Math.max(1, ...rows.map((r) => examples[r]!.inputIds.length));
  const ids = new Int32Array(b * t).fill(padId);
  const mask = new Int32Array(b * t);
  const labels = new Int32Array(b * t).fill(IGNORE_INDEX);
  rows.forEach((r, i) => {
    const e = examples[r]!;
    ids.set(e.inputIds, i * t);
    mask.fill(1, i * t, i * t + e.inputIds.length);
    labels.set(e.labels, i * t);
  });
  const inputIds = tf.tensor2d(ids, [b, t], 'int32');
  const attentionMask = tf.tensor2d(mask, [b, t], 'int32');
  const tokenTypeIds = tf.zeros([b, t], 'int32');
  const y = tf.tensor2d(labels, [b, t], 'int32');
  return {
    inputs: { inputIds, attentionMask, tokenTypeIds },
    labels: { kind: 'token-cls', labels: y },
    shape: [b, t],
    dispose: () => tf.dispose([inputIds, attentionMask, tokenTypeIds, y]),
  };
}

export interface PredictOptions {
  batchSize: number;
  padId: number;
  yieldFn?: () => Promise<void>;
}

/**
 * Eval-mode logits for every example, as per-example [T_i * L] arrays (padding stripped). Rows are
 * batched in length order to cut padding.
 */
export async function tokenClsLogits(
  model: BertModel,
  examples: readonly TokenClsExample[],
  o: PredictOptions,
): Promise<Float32Array[]> {
  const out: Float32Array[] = new Array<Float32Array>(examples.length);
  const order = examples
    .map((_, i) => i)
    .sort((a, b) => examples[a]!.inputIds.length - examples[b]!.inputIds.length || a - b);
  const L = model.numLabels;
  for (let s = 0; s < order.length; s += o.batchSize) {
    const rows = order.slice(s, s + o.batchSize);
    const b = tokenClsBatch(examples, rows, o.padId);
    const head = model.headForward(b.inputs, { training: false });
    if (head.kind !== 'token-cls') throw new Error(`a token-cls model is needed, got ${head.kind}`);
    b.dispose();
    // Async read: WebGPU's sync readback stalls the queue (and gives zeros under SwiftShader).
    const data = (await head.logits.data().finally(() => head.logits.dispose())) as Float32Array;
    const t = b.shape[1];
    rows.forEach((r, i) => (out[r] = data.slice(i * t * L, (i * t + examples[r]!.inputIds.length) * L)));
    if (o.yieldFn) await o.yieldFn();
  }
  return out;
}

/** Predicted tag ids per word (first-piece argmax), words without a piece absent. */
export function wordPredictions(
  logits: Float32Array,
  example: TokenClsExample,
  numLabels: number,
): Map<number, number> {
  const out = new Map<number, number>();
  example.wordIds.forEach((w, j) => {
    if (w < 0 || out.has(w)) return;
    let best = 0;
    for (let c = 1; c < numLabels; c++) if (logits[j * numLabels + c]! > logits[j * numLabels + best]!) best = c;
    out.set(w, best);
  });
  return out;
}

/** seqeval metrics + loss from per-example logits (the labelled pieces only). */
export function tokenClsMetrics(
  logits: readonly Float32Array[],
  examples: readonly TokenClsExample[],
  labels: readonly string[],
): TokenClsMetrics {
  const L = labels.length;
  const yTrue: string[][] = [];
  const yPred: string[][] = [];
  let lossSum = 0;
  let n = 0;
  examples.forEach((e, i) => {
    const x = logits[i]!;
    const t: string[] = [];
    const p: string[] = [];
    e.labels.forEach((y, j) => {
      if (y === IGNORE_INDEX) return;
      let best = 0;
      let m = -Infinity;
      for (let c = 0; c < L; c++) m = Math.max(m, x[j * L + c]!);
      let z = 0;
      for (let c = 0; c < L; c++) {
        z += Math.exp(x[j * L + c]! - m);
        if (x[j * L + c]! > x[j * L + best]!) best = c;
      }
      lossSum += m + Math.log(z) - x[j * L + y]!;
      n += 1;
      t.push(labels[y]!);
      p.push(labels[best]!);
    });
    yTrue.push(t);
    yPred.push(p);
  });
  return { ...seqevalScores(yTrue, yPred), loss: n === 0 ? 0 : lossSum / n, sentences: examples.length };
}

export async function evaluateTokenCls(
  model: BertModel,
  examples: readonly TokenClsExample[],
  labels: readonly string[],
  o: PredictOptions,
): Promise<TokenClsMetrics> {
  return tokenClsMetrics(await tokenClsLogits(model, examples, o), examples, labels);
}

/** Scalars for best-metric selection and logs: f1 / precision / recall (micro), accuracy, loss. */
export function tokenClsScore(m: TokenClsMetrics, name: string): number {
  switch (name) {
    case 'f1':
    case 'precision':
    case 'recall':
      return m.micro[name];
    case 'accuracy':
    case 'loss':
      return m[name];
    default:
      throw new Error(`unknown token-cls metric ${name} (f1, precision, recall, accuracy, loss)`);
  }
}

export const TOKEN_CLS_METRICS = ['f1', 'precision', 'recall', 'accuracy', 'loss'] as const;

/** The TaskDataset trainTask needs, from encoded train / validation examples. */
export function tokenClsDataset(
  train: readonly TokenClsExample[],
  valid: readonly TokenClsExample[],
  labels: readonly string[],
  o: { padId: number; evalBatchSize: number },
): TaskDataset<TokenClsMetrics> {
  return {
    trainLengths: train.map((e) => e.inputIds.length),
    trainBatch: (rows) => tokenClsBatch(train, rows, o.padId),
    evaluate:
      valid.length === 0
        ? null
        : (model, yieldFn) =>
            evaluateTokenCls(model, valid, labels, { batchSize: o.evalBatchSize, padId: o.padId, yieldFn }),
    score: tokenClsScore,
  };
}
