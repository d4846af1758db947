// BertAttention = BertSelfAttention + BertSelfOutput from HF `modeling_bert.py` (eager path).
// Q, K and V run as one fused [H, 3H] matmul while training, as three matmuls on the stored weights
// in inference (projectQkv says why); the score matmul takes K already transposed on wasm, and with
// transposeB elsewhere (ops.ts matMul picks the fastest form for the backend).
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../config';
import type { ParamGetter } from '../params';
import { splitHeads } from './hostHeads';
import { batchedMatMulKind, layerNorm, linear, matMul, type DropoutCtx } from './ops';

// torch.finfo(torch.float32).min, as HF's get_extended_attention_mask uses.
export const FLOAT32_MIN = -3.4028234663852886e38;

/** [B, T] 1/0 mask -> additive [B, 1, 1, T] mask, (1 - mask) * float32 min. */
export function extendedAttentionMask(attentionMask: tf.Tensor): tf.Tensor {
  const [b, t] = attentionMask.shape as [number, number];
  const m = tf.cast(attentionMask, 'float32');
  return tf.mul(tf.sub(1, m), FLOAT32_MIN).reshape([b, 1, 1, t]);
}

/** True while a gradient tape records (tf.grad / variableGrads): parameters must then stay on the tape. */
function recordingGradients(): boolean {
  return tf.engine().state.gradientDepth > 0;
}

/**
 * Q, K and V projections. Under a gradient tape: one fused [H, 3H] matmul (one GEMM forward and
 * backward). Without one (inference): three matmuls on the parameter tensors themselves, because
 * tfjs-wasm keeps XNNPACK's packed copy of a weight per tensor; a concatenated weight is a new
 * tensor every call and is re-packed each time, which dominated one-sentence BERT-Base latency.
 * `queryRows` = 1 projects Q for position 0 only (see `firstOnly` below). Returns Q, K, V in head
 * layout, [B, nH, rows, d], K as [B, nH, d, T] when `keyTransposed`.
 */
function projectQkv(
  p: ParamGetter,
  s: string,
  hiddenStates: tf.Tensor,
  queryRows: number,
  numHeads: number,
  keyTransposed: boolean,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const [b, t, h] = hiddenStates.shape as [number, number, number];
  const d = h / numHeads;
  // [B, rows, H] -> [B, nH, rows, d]; K -> [B, nH, d, T] when keyTransposed.
  const heads = (x: tf.Tensor, transposed = false) =>
    tf.transpose(x.reshape([b, x.shape[1]!, numHeads, d]), transposed ? [0, 2, 3, 1] : [0, 2, 1, 3]);
  const w = (n: string) => p(`${s}${n}.weight`);
  const bias = (n: string) => p(`${s}${n}.bias`);
  const qInput = queryRows === t ? hiddenStates : tf.slice(hiddenStates, [0, 0, 0], [b, queryRows, h]);
  if (!recordingGradients() || queryRows !== t) {
    const q = heads(linear(qInput, w('query'), bias('query')));
    if (!recordingGradients()) {
      const k = linear(hiddenStates, w('key'), bias('key'));
      return [q, heads(k, keyTransposed), heads(linear(hiddenStates, w('value'), bias('value')))];
    }
    const kv = linear(hiddenStates, tf.concat([w('key'), w('value')], 1), tf.concat([bias('key'), bias('value')], 0));
    const [k, v] = tf.split(kv, 2, 2) as [tf.Tensor, tf.Tensor];
    return [q, heads(k, keyTransposed), heads(v)];
  }
  const wQkv = tf.concat([w('query'), w('key'), w('value')], 1); // [H, 3H]
  const bQkv = tf.concat([bias('query'), bias('key'), bias('value')], 0); // [3H]
  // Split and head layout in one pass on wasm and cpu (hostHeads.ts).
  return splitHeads(linear(hiddenStates, wQkv, bQkv), numHeads, keyTransposed);
}

/**
 * `firstOnly`: compute the output at position 0 only ([B, 1, H]); keys and values still come
 * from every position, so row 0 equals the full layer's row 0. For the last layer under a head
 * that reads only [CLS] (sequence classification), this skips the query, output and
 * feed-forward work of the other T - 1 rows.
 */
export function bertAttention(
  p: ParamGetter,
  config: BertConfig,
  prefix: string, // `bert.encoder.layer.${i}.attention.`
  hiddenStates: tf.Tensor, // [B, T, H]
  extMask: tf.Tensor, // [B, 1, 1, T]
  drop: DropoutCtx,
  firstOnly = false,
): tf.Tensor {
  const [b, t, h] = hiddenStates.shape as [number, number, number];
  const nH = config.num_attention_heads;
  const d = h / nH;
  const tq = firstOnly ? 1 : t;
  // The per-entry GEMM path takes K as [B, nH, d, T], straight from one transpose, so the score
  // matmul needs no second one; the others take [B, nH, T, d] with transposeB.
  const kT = batchedMatMulKind() === 'gemm';
  // [B, nH, Tq, d], K [B, nH, T, d] or [B, nH, d, T], V [B, nH, T, d]
  const [queryLayer, keyLayer, valueLayer] = projectQkv(p, `${prefix}self.`, hiddenStates, tq, nH, kT);
  const scores = tf.add(tf.div(matMul(queryLayer, keyLayer, !kT), Math.sqrt(d)), extMask); // [B, nH, Tq, T]
  const attentionProbs = drop.apply(tf.softmax(scores, -1), config.attention_probs_dropout_prob);
  const context = matMul(attentionProbs, valueLayer); // [B, nH, Tq, d]
  const contextLayer = tf.transpose(context, [0, 2, 1, 3]).reshape([b, tq, h]); // [B, Tq, H]
  const residual = firstOnly ? tf.slice(hiddenStates, [0, 0, 0], [b, 1, h]) : hiddenStates;
  // BertSelfOutput: dense -> dropout -> LayerNorm(x + residual)
  const o = `${prefix}output.`;
  const dense = drop.apply(
    linear(contextLayer, p(`${o}dense.weight`), p(`${o}dense.bias`)),
    config.hidden_dropout_prob,
  );
  return layerNorm(tf.add(dense, residual), p(`${o}LayerNorm.weight`), p(`${o}LayerNorm.bias`), config.layer_norm_eps);
}
