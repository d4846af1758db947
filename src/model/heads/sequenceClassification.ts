// BertForSequenceClassification head from HF `modeling_bert.py`: dropout(pooled) -> classifier,
// loss chosen by problem_type (regression / single-label CE / multi-label BCE) as HF infers it.
import * as tf from '@tensorflow/tfjs';
import type { BertConfig, ProblemType } from '../config';
import type { DropoutCtx } from '../layers/ops';
import { linear } from '../layers/ops';
import type { ParamGetter } from '../params';
import { bceWithLogits, crossEntropy, mse } from './losses';

export function classifierDropoutRate(config: BertConfig): number {
  return config.classifier_dropout ?? config.hidden_dropout_prob;
}

export function sequenceClassificationLogits(
  p: ParamGetter,
  config: BertConfig,
  pooledOutput: tf.Tensor /* [B, H] */,
  drop: DropoutCtx,
): tf.Tensor {
  return linear(drop.apply(pooledOutput, classifierDropoutRate(config)), p('classifier.weight'), p('classifier.bias')); // [B, L]
}

/** HF's problem_type inference: 1 label = regression; int labels = single-label; else multi-label. */
export function resolveProblemType(config: BertConfig, numLabels: number, labels: tf.Tensor): ProblemType {
  if (config.problem_type) return config.problem_type;
  if (numLabels === 1) return 'regression';
  return labels.dtype === 'int32' ? 'single_label_classification' : 'multi_label_classification';
}

/** labels: [B] int32 (single-label), [B, L] float 0/1 (multi-label) or [B] / [B, L] float (regression). */
export function sequenceClassificationLoss(logits: tf.Tensor, labels: tf.Tensor, problemType: ProblemType): tf.Scalar {
  switch (problemType) {
    case 'regression':
      return logits.shape[1] === 1
        ? tf.tidy(() => mse(logits.reshape([-1]), labels.reshape([-1])))
        : mse(logits, labels);
    case 'single_label_classification':
      return crossEntropy(logits, labels);
    case 'multi_label_classification':
      return bceWithLogits(logits, labels);
  }
}
