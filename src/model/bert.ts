// BERT encoder + task heads in TensorFlow.js, mirroring HF `modeling_bert.py` (BertModel and the
// BertFor* classes). Parameters are tf.Variables keyed by exact HF state-dict names (`bert.` prefix
// always, Linear weights [in, out]; layout.ts converts at the checkpoint boundary).
import * as tf from '@tensorflow/tfjs';
import type { WeightMap } from './checkpoint/types';
import { bertConfigToJson, type BertConfig } from './config';
import { bertEmbeddings } from './layers/embeddings';
import { bertEncoder } from './layers/encoder';
import { extendedAttentionMask } from './layers/attention';
import { DropoutCtx } from './layers/ops';
import { bertPooler } from './layers/pooler';
import { leanVariableGrads } from './leanGrads';
import { toHf } from './layout';
import { paramGetter, type ParamGetter } from './params';
import { ARCHITECTURES, isBareModel, modelSpecs, usesPooler, type HeadKind } from './specs';
import {
  sequenceClassificationLogits,
  sequenceClassificationLoss,
  resolveProblemType,
} from './heads/sequenceClassification';
import { tokenClassificationLogits, tokenClassificationLoss } from './heads/tokenClassification';
import { questionAnsweringLogits, questionAnsweringLoss } from './heads/questionAnswering';
import { gatherPositions, maskedPositions, mlmLogits, mlmLoss } from './heads/maskedLM';
import { sentenceEmbedding, type EmbeddingOptions } from './heads/sentenceEmbedding';

export interface BertInputs {
  inputIds: tf.Tensor; // [B, T] int32
  tokenTypeIds?: tf.Tensor; // [B, T] int32, default zeros
  attentionMask?: tf.Tensor; // [B, T] int32 1/0, default ones
}

export interface ForwardOptions {
  /** Dropout on (HF model.train()). Default false. */
  training?: boolean;
  /** Dropout seed for this pass; the same seed gives the same masks. */
  seed?: number;
  /** Also return embeddingOutput and hiddenStates ([embeddings, layer 1, ..., layer N], as HF). */
  outputHiddenStates?: boolean;
  /**
   * The caller reads position 0 ([CLS]) only: the last layer then computes that row alone and
   * lastHiddenState is [B, 1, H] (row 0 of the full output, same value). Sequence classification
   * uses it; on BERT-Tiny it skips about 40% of a training step.
   */
  clsOnly?: boolean;
}

export interface BertOutput {
  lastHiddenState: tf.Tensor; // [B, T, H] ([B, 1, H] with clsOnly)
  pooledOutput: tf.Tensor | null; // [B, H]; null for heads without a pooler
  embeddingOutput?: tf.Tensor; // [B, T, H]
  hiddenStates?: tf.Tensor[];
}

export type HeadOutput =
  | { kind: 'base'; lastHiddenState: tf.Tensor; pooledOutput: tf.Tensor }
  | { kind: 'seq-cls'; logits: tf.Tensor } // [B, L]
  | { kind: 'token-cls'; logits: tf.Tensor } // [B, T, L]
  | { kind: 'qa'; startLogits: tf.Tensor; endLogits: tf.Tensor } // [B, T] each
  | { kind: 'mlm'; logits: tf.Tensor } // [B, T, V], or [N, V] at `positions`
  | { kind: 'embed'; embedding: tf.Tensor }; // [B, H]

export interface HeadOptions extends ForwardOptions {
  /** MLM only: flat positions (b * T + t) to compute vocabulary logits for. */
  positions?: tf.Tensor;
  /** embed only. */
  embedding?: EmbeddingOptions;
}

export type HeadLabels =
  | { kind: 'seq-cls'; labels: tf.Tensor } // [B] int32 | [B, L] float (multi-label / regression)
  | { kind: 'token-cls'; labels: tf.Tensor } // [B, T] int32, -100 ignored
  | { kind: 'qa'; startPositions: tf.Tensor; endPositions: tf.Tensor } // [B] int32
  | { kind: 'mlm'; labels: tf.Tensor }; // [B, T] int32, -100 ignored

let modelCounter = 0;
const randomSeed = (): number => Math.floor(Math.random() * 2147483647);

export class BertModel {
  private readonly vars = new Map<string, tf.Variable>();
  private readonly hfNameOf = new Map<string, string>(); // tfjs variable name -> HF name
  private readonly p: ParamGetter;

  constructor(
    readonly config: BertConfig,
    readonly head: HeadKind,
    readonly numLabels: number,
    tensors: Map<string, tf.Tensor>,
  ) {
    // tfjs variable names are global: make them unique per model instance.
    const id = ++modelCounter;
    for (const [name, t] of tensors) {
      const v = tf.variable(t, true, `bert-studio-${id}/${name}`);
      t.dispose();
      this.vars.set(name, v);
      this.hfNameOf.set(v.name, name);
    }
    this.p = paramGetter(this.vars);
  }

  /** Every parameter, keyed by HF name (model layout: Linear weights [in, out]). */
  get variables(): ReadonlyMap<string, tf.Variable> {
    return this.vars;
  }

  /** Parameters selected by `filter(hfName)` (all by default), e.g. to freeze the encoder. */
  trainableVariables(filter: (name: string) => boolean = () => true): tf.Variable[] {
    return [...this.vars].filter(([n]) => filter(n)).map(([, v]) => v);
  }

  /** HF name of one of this model's variables. */
  nameOf(v: tf.Variable): string {
    const n = this.hfNameOf.get(v.name);
    if (n === undefined) throw new Error(`variable ${v.name} does not belong to this model`);
    return n;
  }

  /** The encoder (BertModel.forward). Returned tensors are the caller's to dispose. */
  forward(inputs: BertInputs, opts: ForwardOptions = {}): BertOutput {
    return tf.tidy(() => {
      const { inputIds } = inputs;
      if (inputIds.rank !== 2 || inputIds.dtype !== 'int32')
        throw new Error(`inputIds must be int32 [B, T], got ${inputIds.dtype} [${inputIds.shape.join(', ')}]`);
      const tokenTypeIds = inputs.tokenTypeIds ?? tf.zerosLike(inputIds);
      const attentionMask = inputs.attentionMask ?? tf.onesLike(inputIds);
      const drop = new DropoutCtx(opts.training ?? false, opts.seed ?? randomSeed());
      const embeddingOutput = bertEmbeddings(this.p, this.config, inputIds, tokenTypeIds, drop);
      const layers = bertEncoder(
        this.p,
        this.config,
        embeddingOutput,
        extendedAttentionMask(attentionMask),
        drop,
        opts.clsOnly ?? false,
      );
      const lastHiddenState = layers[layers.length - 1] ?? embeddingOutput;
      const out: BertOutput = {
        lastHiddenState,
        pooledOutput: usesPooler(this.head) ? bertPooler(this.p, lastHiddenState) : null,
      };
      if (opts.outputHiddenStates) {
        out.embeddingOutput = embeddingOutput;
        out.hiddenStates = [embeddingOutput, ...layers];
      }
      return out as unknown as tf.TensorContainer; // tidy keeps the tensors inside; null is allowed at runtime
    }) as unknown as BertOutput;
  }

  /** The forward pass of this model's head. */
  headForward(inputs: BertInputs, opts: HeadOptions = {}): HeadOutput {
    return tf.tidy(() => {
      const seed = opts.seed ?? randomSeed();
      // Sequence classification reads [CLS] only (through the pooler).
      const clsOnly = this.head === 'seq-cls';
      const out = this.forward(inputs, { ...opts, seed, outputHiddenStates: false, clsOnly });
      // The head's dropout gets its own stream so it never repeats an encoder mask.
      const drop = new DropoutCtx(opts.training ?? false, seed + 104729);
      return this.applyHead(out, inputs, opts, drop) as unknown as tf.TensorContainer;
    }) as unknown as HeadOutput;
  }

  private applyHead(out: BertOutput, inputs: BertInputs, opts: HeadOptions, drop: DropoutCtx): HeadOutput {
    const h = out.lastHiddenState;
    switch (this.head) {
      case 'base':
        return { kind: 'base', lastHiddenState: h, pooledOutput: out.pooledOutput! };
      case 'seq-cls':
        return { kind: 'seq-cls', logits: sequenceClassificationLogits(this.p, this.config, out.pooledOutput!, drop) };
      case 'token-cls':
        return { kind: 'token-cls', logits: tokenClassificationLogits(this.p, this.config, h, drop) };
      case 'qa':
        return { kind: 'qa', ...questionAnsweringLogits(this.p, h) };
      case 'mlm':
        return {
          kind: 'mlm',
          logits: mlmLogits(this.p, this.config, opts.positions ? gatherPositions(h, opts.positions) : h),
        };
      case 'embed':
        return {
          kind: 'embed',
          embedding: sentenceEmbedding(h, inputs.attentionMask ?? tf.onesLike(inputs.inputIds), opts.embedding),
        };
    }
  }

  /** The head's training loss, as the HF BertFor* forward computes it when given labels. */
  loss(inputs: BertInputs, labels: HeadLabels, opts: ForwardOptions = {}): tf.Scalar {
    if (labels.kind !== this.head) throw new Error(`labels for ${labels.kind} given to a ${this.head} model`);
    if (labels.kind === 'mlm') {
      // Vocabulary logits only where there is a target: same value as HF, far cheaper. The labels
      // come from host arrays, so this sync read returns their host copy (no device readback)
      // unless the caller already used them in a kernel; loss() stays sync for tf.variableGrads.
      const positions = maskedPositions(labels.labels.dataSync() as Int32Array);
      return tf.tidy(() => {
        const pos = tf.tensor1d(positions, 'int32');
        const out = this.headForward(inputs, { ...opts, positions: pos });
        if (out.kind !== 'mlm') throw new Error('unreachable');
        return mlmLoss(out.logits, tf.gather(labels.labels.reshape([-1]), pos));
      });
    }
    return tf.tidy(() => {
      const out = this.headForward(inputs, opts);
      if (labels.kind === 'seq-cls' && out.kind === 'seq-cls') {
        return sequenceClassificationLoss(
          out.logits,
          labels.labels,
          resolveProblemType(this.config, this.numLabels, labels.labels),
        );
      }
      if (labels.kind === 'token-cls' && out.kind === 'token-cls')
        return tokenClassificationLoss(out.logits, labels.labels);
      if (labels.kind === 'qa' && out.kind === 'qa')
        return questionAnsweringLoss(out, labels.startPositions, labels.endPositions);
      throw new Error(`no loss for head ${this.head}`);
    });
  }

  /**
   * Loss and its gradients w.r.t. the variables selected by `filter(hfName)` (all by default).
   * Gradients are keyed by HF name and are the caller's to dispose.
   */
  lossAndGrads(
    lossFn: () => tf.Scalar,
    filter?: (name: string) => boolean,
  ): { loss: tf.Scalar; grads: Map<string, tf.Tensor> } {
    const varList = this.trainableVariables(filter);
    // The lean backward pass frees each op's saved tensors as it goes (BERT-Base fits wasm's heap).
    const { value, grads } = leanVariableGrads(lossFn, varList);
    const named = new Map<string, tf.Tensor>();
    for (const v of varList) {
      const g = grads[v.name];
      if (g) named.set(this.nameOf(v), g);
    }
    return { loss: value, grads: named };
  }

  /**
   * Weights in HF layout and names (no `bert.` prefix for BertModel, no tied decoder), ready for
   * safetensors. One tensor read at a time: only one transposed copy is alive on the device.
   */
  async exportWeights(): Promise<WeightMap> {
    const out: WeightMap = new Map();
    for (const spec of modelSpecs(this.config, this.head, this.numLabels)) {
      const { shape, data } = await toHf(spec.name, this.p(spec.name));
      const name = isBareModel(this.head) ? spec.name.replace(/^bert\./, '') : spec.name;
      out.set(name, { dtype: 'float32', shape, data });
    }
    return out;
  }

  /** config.json for the exported weights (architectures and labels set for this head). */
  exportConfig(): Record<string, unknown> {
    const c: BertConfig = { ...this.config, architectures: [ARCHITECTURES[this.head]] };
    if (
      (this.head === 'seq-cls' || this.head === 'token-cls') &&
      Object.keys(c.id2label ?? {}).length !== this.numLabels
    ) {
      c.id2label = Object.fromEntries(Array.from({ length: this.numLabels }, (_, i) => [String(i), `LABEL_${i}`]));
      c.label2id = Object.fromEntries(Array.from({ length: this.numLabels }, (_, i) => [`LABEL_${i}`, i]));
    }
    return bertConfigToJson(c);
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}
