// BertPooler from HF `modeling_bert.py`: tanh(dense(hidden[:, 0])).
import * as tf from '@tensorflow/tfjs';
import type { ParamGetter } from '../params';
import { linear } from './ops';

export function bertPooler(p: ParamGetter, lastHiddenState: tf.Tensor /* [B, T, H] */): tf.Tensor {
  const [b, , h] = lastHiddenState.shape as [number, number, number];
  const first = tf.slice(lastHiddenState, [0, 0, 0], [b, 1, h]).reshape([b, h]); // [B, H]
  return tf.tanh(linear(first, p('bert.pooler.dense.weight'), p('bert.pooler.dense.bias'))); // [B, H]
}
