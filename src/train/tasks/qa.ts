// Extractive QA training and evaluation on a BertModel 'qa' head: padded batches of features,
// eval-mode start/end logits, and HF `utils_qa.py` postprocess_qa_predictions (SQuAD v1): per
// feature the n-best start and end indices, spans with start <= end, length <= maxAnswerLength and
// both ends in the context, scored by start_logit + end_logit; the best over all windows of a
// question wins. Scored with the official SQuAD v1.1 exact match / F1.
import * as tf from '@tensorflow/tfjs';
import type { QaExample } from '../../data';
import type { BertModel } from '../../model';
import type { QaFeature } from './qaFeatures';
import { squadScores, type SquadScores } from './squadMetric';
import type { TaskBatch, TaskDataset } from './taskLoop';

export interface QaMetrics extends SquadScores {
  /** Mean of (CE(start) + CE(end)) / 2 over the validation windows. */
  loss: number;
  windows: number;
}

export interface QaPrediction {
  id: string;
  text: string;
  /** start_logit + end_logit of the chosen span (-Infinity when no valid span exists). */
  score: number;
  /** Character span in the context ([0, 0] when none). */
  start: number;
  end: number;
}

export interface PostprocessOptions {
  /** HF n_best_size default 20. */
  nBest: number;
  /** HF max_answer_length default 30 (tokens). */
  maxAnswerLength: number;
}
export const QA_POSTPROCESS_DEFAULTS: PostprocessOptions = { nBest: 20, maxAnswerLength: 30 };

export function qaBatch(features: readonly QaFeature[], rows: readonly number[], padId: number): TaskBatch {
  const b = rows.length;
  const t = Math.max(1, ...rows.map((r) => features[r]!.inputIds.length));
  const ids = new Int32Array(b * t).fill(padId);
  const types = new Int32Array(b * t);
  const mask = new Int32Array(b * t);
  const starts = new Int32Array(b);
  const ends = new Int32Array(b);
  rows.forEach((r, i) => {
    const f = features[r]!;
    ids.set(f.inputIds, i * t);
    types.set(f.tokenTypeIds, i * t);
    mask.fill(1, i * t, i * t + f.inputIds.length);
    starts[i] = f.startPosition;
    ends[i] = f.endPosition;
  });
  const inputIds = tf.tensor2d(ids, [b, t], 'int32');
  const tokenTypeIds = tf.tensor2d(types, [b, t], 'int32');
  const attentionMask = tf.tensor2d(mask, [b, t], 'int32');
  const startPositions = tf.tensor1d(starts, 'int32');
  const endPositions = tf.tensor1d(ends, 'int32');
  return {
    inputs: { inputIds, tokenTypeIds, attentionMask },
    labels: { kind: 'qa', startPositions, endPositions },
    shape: [b, t],
    dispose: () => tf.dispose([inputIds, tokenTypeIds, attentionMask, startPositions, endPositions]),
  };
}

/** Eval-mode logits per feature (padding stripped). */
export async function qaLogits(
  model: BertModel,
  features: readonly QaFeature[],
  o: { batchSize: number; padId: number; yieldFn?: () => Promise<void> },
): Promise<Array<{ start: Float32Array; end: Float32Array }>> {
  const out = new Array<{ start: Float32Array; end: Float32Array }>(features.length);
  const order = features
    .map((_, i) => i)
    .sort((a, b) => features[a]!.inputIds.length - features[b]!.inputIds.length || a - b);
  for (let s = 0; s < order.length; s += o.batchSize) {
    const rows = order.slice(s, s + o.batchSize);
    const b = qaBatch(features, rows, o.padId);
    const head = model.headForward(b.inputs, { training: false });
    b.dispose();
    if (head.kind !== 'qa') throw new Error(`a qa model is needed, got ${head.kind}`);
    // One async read of both (WebGPU's sync readback stalls the queue, gives zeros under SwiftShader).
    const both = tf.stack([head.startLogits, head.endLogits]); // [2, B, T]
    tf.dispose([head.startLogits, head.endLogits]);
    const data = (await both.data().finally(() => both.dispose())) as Float32Array;
    const [start, end] = [data.subarray(0, data.length / 2), data.subarray(data.length / 2)];
    const t = b.shape[1];
    rows.forEach((r, i) => {
      const n = features[r]!.inputIds.length;
      out[r] = { start: start.slice(i * t, i * t + n), end: end.slice(i * t, i * t + n) };
    });
    if (o.yieldFn) await o.yieldFn();
  }
  return out;
}

/** Indices of the k largest values, largest first (numpy argsort[-1:-k-1:-1]). */
function topK(x: Float32Array, k: number): number[] {
  return Array.from(x.keys())
    .sort((a, b) => x[b]! - x[a]! || a - b)
    .slice(0, k);
}

/** The best span per example over all its windows. */
export function postprocessQa(
  examples: readonly QaExample[],
  features: readonly QaFeature[],
  logits: ReadonlyArray<{ start: Float32Array; end: Float32Array }>,
  o: PostprocessOptions = QA_POSTPROCESS_DEFAULTS,
): QaPrediction[] {
  const best = examples.map((ex) => ({ id: ex.id, text: '', score: -Infinity, start: 0, end: 0 }));
  features.forEach((f, fi) => {
    const { start, end } = logits[fi]!;
    const p = best[f.exampleIndex]!;
    const ends = topK(end, o.nBest);
    for (const s of topK(start, o.nBest)) {
      const so = f.offsets[s];
      if (!so) continue;
      for (const e of ends) {
        const eo = f.offsets[e];
        if (!eo || e < s || e - s + 1 > o.maxAnswerLength) continue;
        const score = start[s]! + end[e]!;
        if (score > p.score) Object.assign(p, { score, start: so[0], end: eo[1] });
      }
    }
  });
  best.forEach((p, i) => (p.text = p.score === -Infinity ? '' : examples[i]!.context.slice(p.start, p.end)));
  return best;
}

/** Mean QA loss (HF: positions clamped to [0, T], T ignored) from host logits. */
function meanLoss(
  features: readonly QaFeature[],
  logits: ReadonlyArray<{ start: Float32Array; end: Float32Array }>,
): number {
  const ce = (x: Float32Array, y: number): number => {
    let m = -Infinity;
    for (const v of x) m = Math.max(m, v);
    let z = 0;
    for (const v of x) z += Math.exp(v - m);
    return m + Math.log(z) - x[y]!;
  };
  let sum = 0;
  features.forEach((f, i) => (sum += (ce(logits[i]!.start, f.startPosition) + ce(logits[i]!.end, f.endPosition)) / 2));
  return features.length === 0 ? 0 : sum / features.length;
}

export function qaReferences(examples: readonly QaExample[]): Map<string, string[]> {
  return new Map(examples.map((e) => [e.id, e.answers.map((a) => a.text)]));
}

export async function evaluateQa(
  model: BertModel,
  examples: readonly QaExample[],
  features: readonly QaFeature[],
  o: { batchSize: number; padId: number; yieldFn?: () => Promise<void> } & Partial<PostprocessOptions>,
): Promise<{ metrics: QaMetrics; predictions: QaPrediction[] }> {
  const logits = await qaLogits(model, features, o);
  const predictions = postprocessQa(examples, features, logits, { ...QA_POSTPROCESS_DEFAULTS, ...o });
  const scores = squadScores(qaReferences(examples), new Map(predictions.map((p) => [p.id, p.text])));
  return { metrics: { ...scores, loss: meanLoss(features, logits), windows: features.length }, predictions };
}

export const QA_METRICS = ['f1', 'exact_match', 'loss'] as const;

export function qaScore(m: QaMetrics, name: string): number {
  if (name === 'f1' || name === 'exact_match' || name === 'loss') return m[name];
  throw new Error(`unknown qa metric ${name} (f1, exact_match, loss)`);
}

export function qaDataset(
  trainFeatures: readonly QaFeature[],
  valid: { examples: readonly QaExample[]; features: readonly QaFeature[] } | null,
  o: { padId: number; evalBatchSize: number } & Partial<PostprocessOptions>,
): TaskDataset<QaMetrics> {
  const post = {
    nBest: o.nBest ?? QA_POSTPROCESS_DEFAULTS.nBest,
    maxAnswerLength: o.maxAnswerLength ?? QA_POSTPROCESS_DEFAULTS.maxAnswerLength,
  };
  return {
    trainLengths: trainFeatures.map((f) => f.inputIds.length),
    trainBatch: (rows) => qaBatch(trainFeatures, rows, o.padId),
    evaluate:
      valid === null || valid.examples.length === 0
        ? null
        : async (model, yieldFn) =>
            (
              await evaluateQa(model, valid.examples, valid.features, {
                batchSize: o.evalBatchSize,
                padId: o.padId,
                yieldFn,
                ...post,
              })
            ).metrics,
    score: qaScore,
  };
}
