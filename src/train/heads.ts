// Classification heads on BERT's pooled [CLS] output ([B, H]).
// 'linear' is HF BertForSequenceClassification: dropout -> classifier (the model's own
// `classifier.weight/bias`). 'mlp' follows HF RobertaClassificationHead's layout and names
// (dropout -> dense -> activation -> dropout -> out_proj, as `classifier.dense.*` and
// `classifier.out_proj.*`), fed from the pooled output so both heads read the same features.
import * as tf from '@tensorflow/tfjs';
import { ownedVariable } from './optimizer';

export type HeadActivation = 'relu' | 'gelu' | 'tanh';

export type HeadSpec =
  | { kind: 'linear' }
  | {
      kind: 'mlp';
      hiddenSize: number;
      activation: HeadActivation;
      /** default: the model's classifier dropout */ dropout?: number;
    };

export const MLP_PARAM_NAMES = [
  'classifier.dense.weight',
  'classifier.dense.bias',
  'classifier.out_proj.weight',
  'classifier.out_proj.bias',
] as const;

export interface HeadInit {
  hiddenSize: number;
  numLabels: number;
  /** HF initializer_range: std of the normal init of Linear weights. */
  initializerRange: number;
  seed: number;
}

/** Fresh MLP head variables (model layout: Linear weights [in, out]); biases zero as HF _init_weights. */
export function createMlpParams(spec: Extract<HeadSpec, { kind: 'mlp' }>, init: HeadInit): Map<string, tf.Variable> {
  const { hiddenSize: h, numLabels, initializerRange: std, seed } = init;
  const m = spec.hiddenSize;
  return new Map([
    ['classifier.dense.weight', ownedVariable(tf.randomNormal([h, m], 0, std, 'float32', seed), true)],
    ['classifier.dense.bias', ownedVariable(tf.zeros([m]), true)],
    ['classifier.out_proj.weight', ownedVariable(tf.randomNormal([m, numLabels], 0, std, 'float32', seed + 1), true)],
    ['classifier.out_proj.bias', ownedVariable(tf.zeros([numLabels]), true)],
  ]);
}

function activate(x: tf.Tensor, act: HeadActivation): tf.Tensor {
  switch (act) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'gelu': // erf GELU, as PyTorch nn.GELU / HF ACT2FN['gelu']
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
  }
}

function dropout(x: tf.Tensor, rate: number, training: boolean, seed: number): tf.Tensor {
  return training && rate > 0 ? tf.dropout(x, rate, undefined, seed) : x;
}

/**
 * logits [B, L] from pooledOutput [B, H]. `param` looks up head parameters by HF name; `rate` is
 * the classifier dropout; `seed` makes the dropout masks reproducible.
 */
export function headLogits(
  spec: HeadSpec,
  param: (name: string) => tf.Tensor,
  pooledOutput: tf.Tensor,
  rate: number,
  training: boolean,
  seed: number,
): tf.Tensor {
  return tf.tidy(() => {
    if (spec.kind === 'linear') {
      return tf.add(
        tf.matMul(dropout(pooledOutput, rate, training, seed), param('classifier.weight')),
        param('classifier.bias'),
      );
    }
    const r = spec.dropout ?? rate;
    const x = dropout(pooledOutput, r, training, seed);
    const hidden = activate(
      tf.add(tf.matMul(x, param('classifier.dense.weight')), param('classifier.dense.bias')),
      spec.activation,
    ); // [B, M]
    const y = dropout(hidden, r, training, seed + 1);
    return tf.add(tf.matMul(y, param('classifier.out_proj.weight')), param('classifier.out_proj.bias')); // [B, L]
  });
}
