// BertIntermediate (dense -> activation) + BertOutput (dense -> dropout -> LayerNorm(x + residual))
// from HF `modeling_bert.py`.
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../config';
import type { ParamGetter } from '../params';
import { activation, layerNorm, linear, type DropoutCtx } from './ops';

export function bertFfn(
  p: ParamGetter,
  config: BertConfig,
  prefix: string, // `bert.encoder.layer.${i}.`
  attentionOutput: tf.Tensor, // [B, T, H]
  drop: DropoutCtx,
): tf.Tensor {
  const inter = activation(
    linear(attentionOutput, p(`${prefix}intermediate.dense.weight`), p(`${prefix}intermediate.dense.bias`)),
    config.hidden_act,
  ); // [B, T, I]
  const out = drop.apply(
    linear(inter, p(`${prefix}output.dense.weight`), p(`${prefix}output.dense.bias`)),
    config.hidden_dropout_prob,
  ); // [B, T, H]
  return layerNorm(
    tf.add(out, attentionOutput),
    p(`${prefix}output.LayerNorm.weight`),
    p(`${prefix}output.LayerNorm.bias`),
    config.layer_norm_eps,
  );
}
