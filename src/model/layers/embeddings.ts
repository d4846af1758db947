// BertEmbeddings from HF `modeling_bert.py`: word + token_type + absolute position embeddings,
// LayerNorm, dropout. position_ids = arange(T).
import * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../config';
import type { ParamGetter } from '../params';
import { gatherRows } from './hostOps';
import { layerNorm, type DropoutCtx } from './ops';

const P = 'bert.embeddings.';

export function bertEmbeddings(
  p: ParamGetter,
  config: BertConfig,
  inputIds: tf.Tensor, // [B, T] int32
  tokenTypeIds: tf.Tensor, // [B, T] int32
  drop: DropoutCtx,
): tf.Tensor {
  const seqLen = inputIds.shape[1]!;
  if (seqLen > config.max_position_embeddings) {
    throw new Error(`sequence length ${seqLen} exceeds max_position_embeddings ${config.max_position_embeddings}`);
  }
  const words = gatherRows(p(`${P}word_embeddings.weight`), inputIds); // [B, T, H]
  const types = gatherRows(p(`${P}token_type_embeddings.weight`), tokenTypeIds); // [B, T, H]
  const positions = tf.slice(p(`${P}position_embeddings.weight`), [0, 0], [seqLen, config.hidden_size]); // [T, H]
  const embeddings = tf.add(tf.add(words, types), positions);
  const normed = layerNorm(embeddings, p(`${P}LayerNorm.weight`), p(`${P}LayerNorm.bias`), config.layer_norm_eps);
  return drop.apply(normed, config.hidden_dropout_prob);
}
