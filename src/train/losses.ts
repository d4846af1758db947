// Training losses with PyTorch semantics: F.cross_entropy(weight=w, reduction='mean') =
// sum_i w[y_i] * nll_i / sum_i w[y_i], and BCEWithLogits (mean) for multi-label, as HF
// BertForSequenceClassification picks them by problem_type.
import * as tf from '@tensorflow/tfjs';

export interface LossOptions {
  multiLabel: boolean;
  /** One weight per class (single-label only); null = unweighted. */
  classWeights: number[] | null;
}

/** logits [N, C]; labels [N] int32 (single-label) or [N, C] float 0/1 (multi-label). */
export function classificationLoss(logits: tf.Tensor, labels: tf.Tensor, o: LossOptions): tf.Scalar {
  return o.multiLabel ? bceWithLogitsMean(logits, labels) : weightedCrossEntropy(logits, labels, o.classWeights);
}

export function weightedCrossEntropy(logits: tf.Tensor, labels: tf.Tensor, classWeights: number[] | null): tf.Scalar {
  return tf.tidy(() => {
    const numClasses = logits.shape[1]!;
    const onehot = tf.oneHot(tf.cast(labels, 'int32'), numClasses); // [N, C]
    const nll = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits, -1), onehot), -1)); // [N]
    if (!classWeights) return tf.mean(nll) as tf.Scalar;
    const w = tf.sum(tf.mul(onehot, tf.tensor1d(classWeights, 'float32')), -1); // [N] = w[y_i]
    return tf.div(tf.sum(tf.mul(w, nll)), tf.sum(w)) as tf.Scalar;
  });
}

/** max(x, 0) - x*z + log(1 + exp(-|x|)), mean over every element (numerically stable form). */
export function bceWithLogitsMean(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const z = tf.cast(targets, 'float32');
    return tf.mean(
      tf.add(tf.sub(tf.relu(logits), tf.mul(logits, z)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))),
    ) as tf.Scalar;
  });
}
