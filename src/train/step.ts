// One forward/backward pass of the classifier: loss and gradients for the trainable parameters
// only (frozen parameters are left out of tf.variableGrads, so their gradients are never computed).
import * as tf from '@tensorflow/tfjs';
import type { SequenceClassifier, TensorBatch } from './classifier';
import { leanVariableGrads } from '../model/leanGrads';
import { classificationLoss, type LossOptions } from './losses';

/** A device batch: token tensors, or cached [CLS] features when the encoder is frozen. */
export type StepInput = { kind: 'tokens'; batch: TensorBatch } | { kind: 'features'; cls: tf.Tensor2D };

export function forwardLogits(
  model: SequenceClassifier,
  input: StepInput,
  training: boolean,
  seed: number,
): tf.Tensor2D {
  return input.kind === 'tokens'
    ? model.logits(input.batch, training, seed)
    : model.logitsFromCls(input.cls, training, seed);
}

export interface LossAndGrads {
  loss: tf.Scalar;
  /** Keyed by HF name; the caller disposes them. */
  grads: Map<string, tf.Tensor>;
}

export function lossAndGrads(
  model: SequenceClassifier,
  trainable: ReadonlyMap<string, tf.Variable>,
  input: StepInput,
  labels: tf.Tensor,
  lossOptions: LossOptions,
  training: boolean,
  seed: number,
): LossAndGrads {
  const varList = [...trainable.values()];
  const nameOf = new Map([...trainable].map(([name, v]) => [v.name, name]));
  const { value, grads } = leanVariableGrads(
    () => tf.tidy(() => classificationLoss(forwardLogits(model, input, training, seed), labels, lossOptions)),
    varList,
  );
  const named = new Map<string, tf.Tensor>();
  for (const [varName, g] of Object.entries(grads)) {
    // tfjs gives null for a variable the loss does not reach; treat that as "no gradient" (torch's None).
    if (g) named.set(nameOf.get(varName)!, g);
  }
  return { loss: value, grads: named };
}

/** Loss without gradients (evaluation, or a check after an update). */
export function computeLoss(
  model: SequenceClassifier,
  input: StepInput,
  labels: tf.Tensor,
  lossOptions: LossOptions,
  training: boolean,
  seed: number,
): tf.Scalar {
  return tf.tidy(() => classificationLoss(forwardLogits(model, input, training, seed), labels, lossOptions));
}
