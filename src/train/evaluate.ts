// Validation / test evaluation: batched inference in eval mode (no dropout), one read-back of the
// logits per batch; loss (unweighted mean, as HF's eval loss) and metrics are computed on the host.
import * as tf from '@tensorflow/tfjs';
import { padBatch, type Example } from './batches';
import type { SequenceClassifier } from './classifier';
import { classificationMetrics, multiLabelMetrics, type Metrics } from './metrics';
import { sigmoid } from './multiLabel';
import { forwardLogits, type StepInput } from './step';

export interface EvalOptions {
  batchSize: number;
  padId: number;
  /** Cached [CLS] features [N * H] for these examples (frozen encoder); tokens are used otherwise. */
  features?: Float32Array | null;
  /** Called between batches so a worker can handle messages; default none. */
  yieldFn?: () => Promise<void>;
  /** Multi-label: a label is on when its probability is above this (default 0.5). */
  threshold?: number;
}

/** Rows sorted by length then cut into batches: far less padding than the file order. */
function lengthSortedBatches(examples: readonly Example[], batchSize: number): number[][] {
  const order = examples
    .map((_, i) => i)
    .sort((a, b) => examples[a]!.inputIds.length - examples[b]!.inputIds.length || a - b);
  const out: number[][] = [];
  for (let s = 0; s < order.length; s += batchSize) out.push(order.slice(s, s + batchSize));
  return out;
}

export function batchInput(
  model: SequenceClassifier,
  examples: readonly Example[],
  rows: readonly number[],
  padId: number,
  features: Float32Array | null | undefined,
): { input: StepInput; labels: tf.Tensor; dispose: () => void } {
  const p = padBatch(examples, rows, padId, model.numLabels, model.multiLabel);
  const labels = model.multiLabel
    ? tf.tensor2d(p.labels, [rows.length, model.numLabels], 'float32')
    : tf.tensor1d(p.labels, 'int32');
  if (features) {
    const h = model.hiddenSize;
    const buf = new Float32Array(rows.length * h);
    rows.forEach((r, i) => buf.set(features.subarray(r * h, (r + 1) * h), i * h));
    const cls = tf.tensor2d(buf, [rows.length, h]);
    return { input: { kind: 'features', cls }, labels, dispose: () => tf.dispose([cls, labels]) };
  }
  const batch = {
    inputIds: tf.tensor2d(p.inputIds, p.shape, 'int32'),
    tokenTypeIds: tf.tensor2d(p.tokenTypeIds, p.shape, 'int32'),
    attentionMask: tf.tensor2d(p.attentionMask, p.shape, 'int32'),
  };
  return {
    input: { kind: 'tokens', batch },
    labels,
    dispose: () => tf.dispose([batch.inputIds, batch.tokenTypeIds, batch.attentionMask, labels]),
  };
}

/** Logits [N * L] in the examples' order. */
export async function predictLogits(
  model: SequenceClassifier,
  examples: readonly Example[],
  o: EvalOptions,
): Promise<Float32Array> {
  const L = model.numLabels;
  const out = new Float32Array(examples.length * L);
  for (const rows of lengthSortedBatches(examples, o.batchSize)) {
    const b = batchInput(model, examples, rows, o.padId, o.features);
    let data: Float32Array;
    try {
      const logits = forwardLogits(model, b.input, false, 0);
      // Async read: WebGPU's sync readback stalls the queue (and gives zeros under SwiftShader).
      data = (await logits.data().finally(() => logits.dispose())) as Float32Array;
    } finally {
      b.dispose();
    }
    rows.forEach((r, i) => out.set(data.subarray(i * L, (i + 1) * L), r * L));
    if (o.yieldFn) await o.yieldFn();
  }
  return out;
}

const logSumExp = (row: ArrayLike<number>, start: number, n: number): number => {
  let m = -Infinity;
  for (let c = 0; c < n; c++) m = Math.max(m, row[start + c]!);
  let s = 0;
  for (let c = 0; c < n; c++) s += Math.exp(row[start + c]! - m);
  return m + Math.log(s);
};

/** Metrics (sklearn semantics) plus mean loss from logits: CE for single-label, BCE-with-logits for multi-label. */
export function metricsFromLogits(
  logits: Float32Array,
  examples: readonly Example[],
  numLabels: number,
  multiLabel: boolean,
  threshold?: number,
): Metrics {
  const n = examples.length;
  const L = numLabels;
  let lossSum = 0;
  if (multiLabel) {
    const yTrue: number[][] = [];
    const yPred: number[][] = [];
    examples.forEach((e, i) => {
      const y = Array.from({ length: L }, (_, c) => Number((e.label as ArrayLike<number>)[c] ?? 0));
      const x = Array.from(logits.subarray(i * L, (i + 1) * L));
      x.forEach((v, c) => (lossSum += Math.max(v, 0) - v * y[c]! + Math.log1p(Math.exp(-Math.abs(v)))));
      yTrue.push(y);
      // sigmoid(v) > 0.5 exactly when v > 0; another threshold compares the probability, as predict does.
      yPred.push(x.map((v) => ((threshold === undefined ? v > 0 : Math.fround(sigmoid(v)) > threshold) ? 1 : 0)));
    });
    return { ...multiLabelMetrics(yTrue, yPred, L), loss: n === 0 ? 0 : lossSum / (n * L) };
  }
  const yTrue = new Int32Array(n);
  const yPred = new Int32Array(n);
  examples.forEach((e, i) => {
    const y = e.label as number;
    yTrue[i] = y;
    let best = 0;
    for (let c = 1; c < L; c++) if (logits[i * L + c]! > logits[i * L + best]!) best = c;
    yPred[i] = best;
    lossSum += logSumExp(logits, i * L, L) - logits[i * L + y]!;
  });
  return { ...classificationMetrics(yTrue, yPred, L), loss: n === 0 ? 0 : lossSum / n };
}

export async function evaluate(
  model: SequenceClassifier,
  examples: readonly Example[],
  o: EvalOptions,
): Promise<Metrics> {
  const logits = await predictLogits(model, examples, o);
  return metricsFromLogits(logits, examples, model.numLabels, model.multiLabel, o.threshold);
}
