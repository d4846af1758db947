// With the whole encoder frozen its outputs never change, so the [CLS] hidden state of every row
// is computed once (eval mode: encoder dropout off) and the pooler + head then train on these
// cached features: one cheap [B, H] forward per step instead of the full encoder.
import * as tf from '@tensorflow/tfjs';
import { padBatch, type Example } from './batches';
import type { SequenceClassifier } from './classifier';

export interface FeatureCacheOptions {
  batchSize: number;
  padId: number;
  onProgress?: (done: number, total: number) => void;
  yieldFn?: () => Promise<void>;
  /** Checked between batches; true aborts (returns null). */
  shouldStop?: () => boolean;
}

/** [N * H] float32: lastHiddenState[:, 0] for every example, in order. */
export async function computeClsFeatures(
  model: SequenceClassifier,
  examples: readonly Example[],
  o: FeatureCacheOptions,
): Promise<Float32Array | null> {
  const h = model.hiddenSize;
  const out = new Float32Array(examples.length * h);
  // Length-sorted batches waste little on padding; results go back to each row's own slot.
  const order = examples
    .map((_, i) => i)
    .sort((a, b) => examples[a]!.inputIds.length - examples[b]!.inputIds.length || a - b);
  for (let s = 0; s < order.length; s += o.batchSize) {
    if (o.shouldStop?.()) return null;
    const rows = order.slice(s, s + o.batchSize);
    const p = padBatch(examples, rows, o.padId, model.numLabels, model.multiLabel);
    const data = tf.tidy(() => {
      const batch = {
        inputIds: tf.tensor2d(p.inputIds, p.shape, 'int32'),
        tokenTypeIds: tf.tensor2d(p.tokenTypeIds, p.shape, 'int32'),
        attentionMask: tf.tensor2d(p.attentionMask, p.shape, 'int32'),
      };
      return model.clsFeatures(batch, false, 0);
    });
    let values: Float32Array;
    try {
      values = (await data.data()) as Float32Array;
    } finally {
      data.dispose();
    }
    rows.forEach((r, i) => out.set(values.subarray(i * h, (i + 1) * h), r * h));
    o.onProgress?.(Math.min(s + o.batchSize, order.length), order.length);
    if (o.yieldFn) await o.yieldFn();
  }
  return out;
}
