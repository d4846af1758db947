// BertForMaskedLM head (BertOnlyMLMHead) from HF `modeling_bert.py`: transform (dense -> act ->
// LayerNorm), then a decoder tied to the word embeddings plus `cls.predictions.bias`.
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../config';
import { activation, layerNorm, linear, matMul } from '../layers/ops';
import type { ParamGetter } from '../params';
import { crossEntropy } from './losses';

export function mlmTransform(p: ParamGetter, config: BertConfig, hiddenStates: tf.Tensor /* [..., H] */): tf.Tensor {
  const t = 'cls.predictions.transform.';
  const dense = activation(linear(hiddenStates, p(`${t}dense.weight`), p(`${t}dense.bias`)), config.hidden_act);
  return layerNorm(dense, p(`${t}LayerNorm.weight`), p(`${t}LayerNorm.bias`), config.layer_norm_eps);
}

/** Vocabulary logits [..., V]. Pass only the rows you need (e.g. masked positions): V is large. */
export function mlmLogits(p: ParamGetter, config: BertConfig, hiddenStates: tf.Tensor /* [..., H] */): tf.Tensor {
  const h = config.hidden_size;
  const transformed = mlmTransform(p, config, hiddenStates).reshape([-1, h]); // [N, H]
  const logits = tf.add(
    matMul(transformed, p('bert.embeddings.word_embeddings.weight'), true),
    p('cls.predictions.bias'),
  ); // [N, V]
  return logits.reshape([...hiddenStates.shape.slice(0, -1), config.vocab_size]);
}

/** Flat indices (b * T + t) of the positions whose label != -100, from host-side labels. */
export function maskedPositions(labels: Int32Array | number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] !== -100) out.push(i);
  return out;
}

/** Gathers rows of [B, T, H] at flat positions -> [N, H]. */
export function gatherPositions(hiddenStates: tf.Tensor, positions: tf.Tensor /* [N] int32 */): tf.Tensor {
  const h = hiddenStates.shape[hiddenStates.rank - 1]!;
  return tf.gather(hiddenStates.reshape([-1, h]), positions);
}

/** CE over positions with label != -100. logits [..., V], labels matching leading dims. */
export function mlmLoss(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return crossEntropy(logits, labels);
}
