// A BERT sequence classifier for training: the model folder's BertModel (encoder + pooler +
// `classifier.*`) plus an optional MLP head, with one name -> variable map for the optimizer.
// The forward is split at the [CLS] hidden state so a frozen encoder's outputs can be cached:
// logits = head(pooler(lastHiddenState[:, 0])) as in HF BertForSequenceClassification.
import * as tf from '@tensorflow/tfjs';
import type { BertModel } from '../model';
import type { WeightMap } from '../model/checkpoint';
import { createMlpParams, headLogits, MLP_PARAM_NAMES, type HeadSpec } from './heads';

/** One padded batch on the device. */
export interface TensorBatch {
  inputIds: tf.Tensor2D; // [B, T] int32
  tokenTypeIds: tf.Tensor2D; // [B, T] int32
  attentionMask: tf.Tensor2D; // [B, T] int32
}

export class SequenceClassifier {
  /** Every parameter the classifier uses, keyed by HF name (model layout: Linear weights [in, out]). */
  readonly params = new Map<string, tf.Variable>();
  private readonly own: Map<string, tf.Variable>;
  readonly classifierDropout: number;

  /** `bert` must be a 'seq-cls' BertModel with `numLabels` labels; the classifier takes ownership. */
  constructor(
    readonly bert: BertModel,
    readonly head: HeadSpec,
    readonly labels: string[],
    readonly multiLabel: boolean,
    headSeed: number,
  ) {
    if (bert.head !== 'seq-cls') throw new Error(`a sequence classifier needs a 'seq-cls' model, got '${bert.head}'`);
    if (bert.numLabels !== labels.length)
      throw new Error(`model has ${bert.numLabels} labels but ${labels.length} label names were given`);
    const c = bert.config;
    this.classifierDropout = c.classifier_dropout ?? c.hidden_dropout_prob;
    this.own =
      head.kind === 'mlp'
        ? createMlpParams(head, {
            hiddenSize: c.hidden_size,
            numLabels: labels.length,
            initializerRange: c.initializer_range,
            seed: headSeed,
          })
        : new Map();
    for (const [name, v] of bert.variables) {
      // The MLP replaces the linear classifier: its unused variables stay out of training and export.
      if (head.kind === 'mlp' && name.startsWith('classifier.')) continue;
      this.params.set(name, v);
    }
    for (const [name, v] of this.own) this.params.set(name, v);
  }

  get hiddenSize(): number {
    return this.bert.config.hidden_size;
  }

  get numLabels(): number {
    return this.labels.length;
  }

  private param = (name: string): tf.Tensor => {
    const v = this.params.get(name);
    if (!v) throw new Error(`classifier has no parameter ${name}`);
    return v;
  };

  /** lastHiddenState[:, 0] ([B, H]): the features a frozen encoder hands to pooler + head. */
  clsFeatures(batch: TensorBatch, training: boolean, seed: number): tf.Tensor2D {
    return tf.tidy(() => {
      // clsOnly: the last layer computes the [CLS] row alone (lastHiddenState is [B, 1, H]).
      const out = this.bert.forward(batch, { training, seed, clsOnly: true });
      const [b, , h] = out.lastHiddenState.shape as [number, number, number];
      return tf.slice(out.lastHiddenState, [0, 0, 0], [b, 1, h]).reshape([b, h]) as tf.Tensor2D;
    });
  }

  /** Pooler (tanh dense, HF BertPooler) then the head: [B, H] -> logits [B, L]. */
  logitsFromCls(cls: tf.Tensor, training: boolean, seed: number): tf.Tensor2D {
    return tf.tidy(() => {
      const pooledOutput = tf.tanh(
        tf.add(tf.matMul(cls, this.param('bert.pooler.dense.weight')), this.param('bert.pooler.dense.bias')),
      );
      return headLogits(
        this.head,
        this.param,
        pooledOutput,
        this.classifierDropout,
        training,
        seed + 104729,
      ) as tf.Tensor2D;
    });
  }

  logits(batch: TensorBatch, training: boolean, seed: number): tf.Tensor2D {
    return tf.tidy(() => this.logitsFromCls(this.clsFeatures(batch, training, seed), training, seed));
  }

  /** Weights in HF layout and names (`bert.*` incl. pooler, `classifier.*`), for model.safetensors. */
  async exportWeights(): Promise<WeightMap> {
    const out: WeightMap = new Map();
    for (const [name, t] of await this.bert.exportWeights())
      if (this.head.kind === 'linear' || !name.startsWith('classifier.')) out.set(name, t);
    for (const name of MLP_PARAM_NAMES) {
      const v = this.own.get(name);
      if (!v) continue;
      const hf = v.rank === 2 ? tf.transpose(v) : v; // model layout [in, out] -> PyTorch [out, in]
      try {
        // Async read: a sync one stalls WebGPU (and returns zeros under SwiftShader).
        out.set(name, { dtype: 'float32', shape: [...hf.shape], data: new Float32Array(await hf.data()) });
      } finally {
        if (hf !== v) hf.dispose();
      }
    }
    return out;
  }

  /** Sets the MLP head from HF-layout tensors (a checkpoint this class exported). */
  loadHeadWeights(weights: WeightMap): void {
    for (const [name, v] of this.own) {
      const t = weights.get(name);
      if (!t) throw new Error(`checkpoint has no ${name} for the MLP head`);
      const want = v.rank === 2 ? [v.shape[1], v.shape[0]] : v.shape;
      if (t.shape.join() !== want.join())
        throw new Error(`${name} has shape [${t.shape.join(', ')}], expected [${want.join(', ')}]`);
      tf.tidy(() => {
        const hf = tf.tensor(t.data as Float32Array, t.shape, 'float32');
        v.assign(v.rank === 2 ? tf.transpose(hf) : hf);
      });
    }
  }

  /** config.json: BertForSequenceClassification with this run's labels and problem type. */
  exportConfig(): Record<string, unknown> {
    const c = this.bert.exportConfig();
    c.architectures = ['BertForSequenceClassification'];
    c.id2label = Object.fromEntries(this.labels.map((l, i) => [String(i), l]));
    c.label2id = Object.fromEntries(this.labels.map((l, i) => [l, i]));
    c.problem_type = this.multiLabel ? 'multi_label_classification' : 'single_label_classification';
    // Not an HF key: tells this studio's loader which head the classifier.* tensors form.
    if (this.head.kind === 'mlp')
      c.studio_head = {
        kind: 'mlp',
        hidden_size: this.head.hiddenSize,
        activation: this.head.activation,
        dropout: this.head.dropout ?? null,
      };
    return Object.fromEntries(Object.entries(c).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  dispose(): void {
    this.bert.dispose();
    for (const v of this.own.values()) v.dispose();
    this.params.clear();
  }
}
