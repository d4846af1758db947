// Loss functions with PyTorch semantics (torch.nn.functional.cross_entropy with ignore_index and
// reduction='mean', binary_cross_entropy_with_logits, mse_loss), as HF `modeling_bert.py` calls them.
import * as tf from '@tensorflow/tfjs';

export const IGNORE_INDEX = -100; // torch CrossEntropyLoss default, HF's label padding value

/**
 * Mean cross-entropy over rows whose label != ignoreIndex. logits [N, C], labels [N] int32.
 * When every row is ignored PyTorch returns NaN; this returns 0 (and zero gradients) instead, so
 * a batch without targets cannot poison training.
 */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor, ignoreIndex = IGNORE_INDEX): tf.Scalar {
  return tf.tidy(() => {
    const numClasses = logits.shape[logits.rank - 1]!;
    const logp = tf.logSoftmax(logits.reshape([-1, numClasses]), -1); // [N, C]
    const flat = labels.reshape([-1]).toInt();
    const valid = tf.notEqual(flat, ignoreIndex); // [N]
    const safe = tf.where(valid, flat, tf.zerosLike(flat));
    const picked = tf.sum(tf.mul(logp, tf.oneHot(safe, numClasses)), -1); // [N]
    const validF = tf.cast(valid, 'float32');
    const total = tf.neg(tf.sum(tf.mul(picked, validF)));
    return tf.div(total, tf.maximum(tf.sum(validF), 1)) as tf.Scalar;
  });
}

/** BCEWithLogits, mean over every element: max(x, 0) - x*z + log(1 + exp(-|x|)). */
export function bceWithLogits(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const z = tf.cast(targets, 'float32');
    const perElement = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, z)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
    return tf.mean(perElement) as tf.Scalar;
  });
}

/** F.mse_loss, mean. */
export function mse(predictions: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.squaredDifference(predictions, tf.cast(targets, 'float32'))) as tf.Scalar);
}
