// Sentence embeddings as sentence-transformers computes them (models/Pooling.py, Normalize.py):
// mean of token vectors where attention_mask == 1 (count clamped to >= 1e-9), or the [CLS]
// vector; optional L2 normalisation (F.normalize, eps 1e-12).
import * as tf from '@tensorflow/tfjs';

export type Pooling = 'mean' | 'cls';

export interface EmbeddingOptions {
  pooling?: Pooling; // default 'mean'
  normalize?: boolean; // default false
}

export function sentenceEmbedding(
  lastHiddenState: tf.Tensor /* [B, T, H] */,
  attentionMask: tf.Tensor /* [B, T] */,
  opts: EmbeddingOptions = {},
): tf.Tensor {
  return tf.tidy(() => {
    const [b, , h] = lastHiddenState.shape as [number, number, number];
    let emb: tf.Tensor; // [B, H]
    if ((opts.pooling ?? 'mean') === 'cls') {
      emb = tf.slice(lastHiddenState, [0, 0, 0], [b, 1, h]).reshape([b, h]);
    } else {
      const m = tf.cast(attentionMask, 'float32').expandDims(-1); // [B, T, 1]
      emb = tf.div(tf.sum(tf.mul(lastHiddenState, m), 1), tf.maximum(tf.sum(m, 1), 1e-9));
    }
    if (opts.normalize) emb = tf.div(emb, tf.maximum(tf.norm(emb, 'euclidean', -1, true), 1e-12));
    return emb;
  });
}
