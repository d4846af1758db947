// BertForTokenClassification head from HF `modeling_bert.py`: dropout(last hidden) -> classifier;
// CE over positions whose label != -100.
import type * as tf from '@tensorflow/tfjs';
import type { BertConfig } from '../config';
import { linear, type DropoutCtx } from '../layers/ops';
import type { ParamGetter } from '../params';
import { crossEntropy } from './losses';
import { classifierDropoutRate } from './sequenceClassification';

export function tokenClassificationLogits(
  p: ParamGetter,
  config: BertConfig,
  lastHiddenState: tf.Tensor /* [B, T, H] */,
  drop: DropoutCtx,
): tf.Tensor {
  return linear(
    drop.apply(lastHiddenState, classifierDropoutRate(config)),
    p('classifier.weight'),
    p('classifier.bias'),
  ); // [B, T, L]
}

/** labels [B, T] int32, -100 where ignored. */
export function tokenClassificationLoss(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return crossEntropy(logits, labels);
}
