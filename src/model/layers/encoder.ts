// BertEncoder / BertLayer from HF `modeling_bert.py`: attention then feed-forward, per layer.
import type * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../config';
import type { ParamGetter } from '../params';
import { bertAttention } from './attention';
import { bertFfn } from './ffn';
import type { DropoutCtx } from './ops';

/** Returns the output of every layer (last = last_hidden_state). */
export function bertEncoder(
  p: ParamGetter,
  config: BertConfig,
  hiddenStates: tf.Tensor, // [B, T, H]
  extMask: tf.Tensor, // [B, 1, 1, T]
  drop: DropoutCtx,
): tf.Tensor[] {
  const outputs: tf.Tensor[] = [];
  let h = hiddenStates;
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const prefix = `bert.encoder.layer.${i}.`;
    const attentionOutput = bertAttention(p, config, `${prefix}attention.`, h, extMask, drop);
    h = bertFfn(p, config, prefix, attentionOutput, drop);
    outputs.push(h);
  }
  return outputs;
}
