// BertEncoder / BertLayer from HF `modeling_bert.py`: attention then feed-forward, per layer.
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../config';
import type { ParamGetter } from '../params';
import { bertAttention } from './attention';
import { bertFfn } from './ffn';
import type { DropoutCtx } from './ops';

/**
 * Returns the output of every layer (last = last_hidden_state). `clsOnly`: the last layer computes
 * position 0 only ([B, 1, H], equal to row 0 of the full output), for heads that read only [CLS].
 */
export function bertEncoder(
  p: ParamGetter,
  config: BertConfig,
  hiddenStates: tf.Tensor, // [B, T, H]
  extMask: tf.Tensor, // [B, 1, 1, T]
  drop: DropoutCtx,
  clsOnly = false,
): tf.Tensor[] {
  const outputs: tf.Tensor[] = [];
  let h = hiddenStates;
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const prefix = `bert.encoder.layer.${i}.`;
    const input = h;
    const firstOnly = clsOnly && i === config.num_hidden_layers - 1;
    // One tidy per layer frees its intermediates as soon as the layer is done (the caller's tidy
    // would keep all N layers' worth alive: 1 GB+ for BERT-Base at batch 32). Gradients are
    // unaffected: tfjs keeps the tensors the tape saved for the backward pass.
    h = tf.tidy(() =>
      bertFfn(
        p,
        config,
        prefix,
        bertAttention(p, config, `${prefix}attention.`, input, extMask, drop, firstOnly),
        drop,
      ),
    );
    outputs.push(h);
  }
  return outputs;
}
