// BertAttention = BertSelfAttention + BertSelfOutput from HF `modeling_bert.py` (eager path).
// Q, K and V run as one fused [H, 3H] matmul; the score matmul takes K as [B, nH, T, d] with
// transposeB (ops.ts matMul turns it into the fastest form for the backend).
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../config';
import type { ParamGetter } from '../params';
import { layerNorm, linear, matMul, type DropoutCtx } from './ops';

// torch.finfo(torch.float32).min, as HF's get_extended_attention_mask uses.
export const FLOAT32_MIN = -3.4028234663852886e38;

/** [B, T] 1/0 mask -> additive [B, 1, 1, T] mask, (1 - mask) * float32 min. */
export function extendedAttentionMask(attentionMask: tf.Tensor): tf.Tensor {
  const [b, t] = attentionMask.shape as [number, number];
  const m = tf.cast(attentionMask, 'float32');
  return tf.mul(tf.sub(1, m), FLOAT32_MIN).reshape([b, 1, 1, t]);
}

export function bertAttention(
  p: ParamGetter,
  config: BertConfig,
  prefix: string, // `bert.encoder.layer.${i}.attention.`
  hiddenStates: tf.Tensor, // [B, T, H]
  extMask: tf.Tensor, // [B, 1, 1, T]
  drop: DropoutCtx,
): tf.Tensor {
  const [b, t, h] = hiddenStates.shape as [number, number, number];
  const nH = config.num_attention_heads;
  const d = h / nH;
  const s = `${prefix}self.`;
  const wQkv = tf.concat([p(`${s}query.weight`), p(`${s}key.weight`), p(`${s}value.weight`)], 1); // [H, 3H]
  const bQkv = tf.concat([p(`${s}query.bias`), p(`${s}key.bias`), p(`${s}value.bias`)], 0); // [3H]
  const qkv = linear(hiddenStates, wQkv, bQkv); // [B, T, 3H]
  const [q, k, v] = tf.split(qkv, 3, 2) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const queryLayer = tf.transpose(q.reshape([b, t, nH, d]), [0, 2, 1, 3]); // [B, nH, T, d]
  const keyLayer = tf.transpose(k.reshape([b, t, nH, d]), [0, 2, 1, 3]); // [B, nH, T, d]
  const valueLayer = tf.transpose(v.reshape([b, t, nH, d]), [0, 2, 1, 3]); // [B, nH, T, d]
  const scores = tf.add(tf.div(matMul(queryLayer, keyLayer, true), Math.sqrt(d)), extMask); // [B, nH, T, T]
  const attentionProbs = drop.apply(tf.softmax(scores, -1), config.attention_probs_dropout_prob);
  const context = matMul(attentionProbs, valueLayer); // [B, nH, T, d]
  const contextLayer = tf.transpose(context, [0, 2, 1, 3]).reshape([b, t, h]); // [B, T, H]
  // BertSelfOutput: dense -> dropout -> LayerNorm(x + residual)
  const o = `${prefix}output.`;
  const dense = drop.apply(
    linear(contextLayer, p(`${o}dense.weight`), p(`${o}dense.bias`)),
    config.hidden_dropout_prob,
  );
  return layerNorm(
    tf.add(dense, hiddenStates),
    p(`${o}LayerNorm.weight`),
    p(`${o}LayerNorm.bias`),
    config.layer_norm_eps,
  );
}
