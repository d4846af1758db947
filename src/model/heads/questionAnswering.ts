// BertForQuestionAnswering head from HF `modeling_bert.py`: qa_outputs (no dropout) split into
// start/end logits; loss = (CE(start) + CE(end)) / 2 with positions clamped to [0, T] and
// ignore_index = T, so out-of-range answers are ignored rather than failing.
import * as tf from '@tensorflow/tfjs';
import { linear } from '../layers/ops';
import type { ParamGetter } from '../params';
import { crossEntropy } from './losses';

export interface QaLogits {
  startLogits: tf.Tensor; // [B, T]
  endLogits: tf.Tensor; // [B, T]
}

export function questionAnsweringLogits(p: ParamGetter, lastHiddenState: tf.Tensor /* [B, T, H] */): QaLogits {
  const [b, t] = lastHiddenState.shape as [number, number, number];
  const logits = linear(lastHiddenState, p('qa_outputs.weight'), p('qa_outputs.bias')); // [B, T, 2]
  const [start, end] = tf.split(logits, 2, 2) as [tf.Tensor, tf.Tensor];
  return { startLogits: start.reshape([b, t]), endLogits: end.reshape([b, t]) };
}

/** startPositions / endPositions: [B] int32 token indices. */
export function questionAnsweringLoss(logits: QaLogits, startPositions: tf.Tensor, endPositions: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const ignored = logits.startLogits.shape[1]!;
    // minimum/maximum, not clipByValue: wasm's ClipByValue reads int32 data as float32.
    const clamp = (x: tf.Tensor): tf.Tensor => tf.minimum(tf.maximum(x.toInt(), 0), ignored);
    const s = clamp(startPositions);
    const e = clamp(endPositions);
    const startLoss = crossEntropy(logits.startLogits, s, ignored);
    const endLoss = crossEntropy(logits.endLogits, e, ignored);
    return tf.div(tf.add(startLoss, endLoss), 2) as tf.Scalar;
  });
}
