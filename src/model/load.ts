// Builds a BertModel from a Hugging Face state dict, doing what HF `from_pretrained` does
// (modeling_utils.py `_load_pretrained_model`): legacy LayerNorm.gamma/beta names, checkpoints
// with or without the `bert.` prefix, the tied MLM decoder, fresh init of heads/pooler that the
// checkpoint lacks. Like nanoGPT's `from_pretrained`, every name and shape is checked before any
// tensor is created. DistilBERT state dicts are renamed onto the same encoder (distilbert.ts).
import * as tf from '@tensorflow/tfjs';
import { CheckpointError, type RawTensor, type WeightMap } from './checkpoint/types';
import { numLabelsOf, validateBertConfig, type BertConfig } from './config';
import { BertModel } from './bert';
import { bertToDistilName, DISTILBERT_MODEL_TYPE, mapDistilBertWeights } from './distilbert';
import { internalShape, toInternal } from './layout';
import { modelSpecs, type HeadKind, type ParamSpec } from './specs';

export interface LoadOptions {
  head: HeadKind;
  /** Classifier size for seq-cls / token-cls; default: config id2label size, else 2 (HF). */
  numLabels?: number;
  /** Seed for freshly initialised tensors (default 0). */
  seed?: number;
  /** Re-initialise head tensors whose shape disagrees (HF `ignore_mismatched_sizes`) instead of failing. */
  ignoreMismatchedHead?: boolean;
}

export interface LoadReport {
  /** Model parameters read from the checkpoint. */
  loaded: string[];
  /** Parameters the checkpoint lacked, freshly initialised (HF: "newly initialized"). */
  initialised: string[];
  /** Head parameters re-initialised because their shape disagreed (ignoreMismatchedHead). */
  mismatched: string[];
  /** Checkpoint tensors the model does not use, ignored (names as in the checkpoint). */
  unexpected: string[];
  /** Tied copies found in the checkpoint (MLM decoder), not loaded separately. */
  tied: string[];
  /** Checkpoint name -> model name, for legacy and prefix renames. */
  renamed: Array<[string, string]>;
}

const MLM_DECODER_WEIGHT = 'cls.predictions.decoder.weight';
const MLM_DECODER_BIAS = 'cls.predictions.decoder.bias';
const BARE_PREFIXES = ['embeddings.', 'encoder.', 'pooler.'];

/** Canonical model name for a checkpoint key. */
export function canonicalName(key: string): string {
  let k = key.replace(/LayerNorm\.gamma$/, 'LayerNorm.weight').replace(/LayerNorm\.beta$/, 'LayerNorm.bias');
  if (BARE_PREFIXES.some((p) => k.startsWith(p))) k = `bert.${k}`;
  return k;
}

function normalise(weights: WeightMap, report: LoadReport): Map<string, RawTensor> {
  const out = new Map<string, RawTensor>();
  const source = new Map<string, string>();
  for (const [key, t] of weights) {
    const name = canonicalName(key);
    const prev = source.get(name);
    if (prev !== undefined)
      throw new CheckpointError(`checkpoint has both ${prev} and ${key}, which name the same tensor ${name}`);
    source.set(name, key);
    if (name !== key) report.renamed.push([key, name]);
    out.set(name, t);
  }
  return out;
}

const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;
const sameShape = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** Handles the tied decoder keys: the weight aliases word embeddings, the bias aliases cls.predictions.bias. */
function resolveTied(ckpt: Map<string, RawTensor>, config: BertConfig, head: HeadKind, report: LoadReport): void {
  const w = ckpt.get(MLM_DECODER_WEIGHT);
  if (w && head === 'mlm') {
    const want = [config.vocab_size, config.hidden_size];
    if (!sameShape(w.shape, want))
      throw new CheckpointError(
        `${MLM_DECODER_WEIGHT} has shape ${fmt(w.shape)}, expected ${fmt(want)} (vocab_size x hidden_size)`,
      );
    ckpt.delete(MLM_DECODER_WEIGHT);
    report.tied.push(MLM_DECODER_WEIGHT);
  }
  const b = ckpt.get(MLM_DECODER_BIAS);
  if (b && head === 'mlm') {
    if (!ckpt.has('cls.predictions.bias')) ckpt.set('cls.predictions.bias', b);
    ckpt.delete(MLM_DECODER_BIAS);
    report.tied.push(MLM_DECODER_BIAS);
  }
}

interface Plan {
  spec: ParamSpec;
  source: RawTensor | null; // null = fresh init
}

function plan(
  ckpt: Map<string, RawTensor>,
  specs: ParamSpec[],
  opts: LoadOptions,
  report: LoadReport,
  fromScratch: boolean,
  display: (name: string) => string,
): Plan[] {
  const missing: string[] = [];
  const plans: Plan[] = [];
  for (const spec of specs) {
    const t = ckpt.get(spec.name);
    ckpt.delete(spec.name);
    if (!t) {
      if (spec.group === 'encoder' && !fromScratch) missing.push(display(spec.name));
      else report.initialised.push(spec.name);
      plans.push({ spec, source: null });
      continue;
    }
    if (t.dtype !== 'float32')
      throw new CheckpointError(`${display(spec.name)} has dtype ${t.dtype}, expected float32`);
    if (!sameShape(t.shape, spec.shape)) {
      if (spec.group === 'head' && opts.ignoreMismatchedHead) {
        report.mismatched.push(spec.name);
        plans.push({ spec, source: null });
        continue;
      }
      throw new CheckpointError(
        `${display(spec.name)} has shape ${fmt(t.shape)} in the checkpoint, but the config needs ${fmt(spec.shape)}${shapeHint(spec.name)}`,
      );
    }
    report.loaded.push(spec.name);
    plans.push({ spec, source: t });
  }
  if (missing.length > 0) {
    const shown = missing.slice(0, 8).join(', ');
    throw new CheckpointError(
      `checkpoint is missing ${missing.length} encoder tensor(s): ${shown}${missing.length > 8 ? ', ...' : ''}`,
    );
  }
  return plans;
}

function shapeHint(name: string): string {
  if (name.includes('word_embeddings') || name === 'cls.predictions.bias')
    return ' (vocab_size x hidden_size: does config.json match the weights?)';
  if (name.startsWith('classifier.'))
    return ' (number of labels differs: pass ignoreMismatchedHead to re-initialise the classifier)';
  return '';
}

function freshTensor(spec: ParamSpec, config: BertConfig, seed: number): tf.Tensor {
  const shape = internalShape(spec.name, spec.shape);
  return tf.tidy(() => {
    switch (spec.init) {
      case 'zeros':
        return tf.zeros(shape);
      case 'ones':
        return tf.ones(shape);
      case 'normal':
        return tf.randomNormal(shape, 0, config.initializer_range, 'float32', seed);
      case 'embedding': {
        // HF zeroes the padding_idx row of a freshly initialised nn.Embedding.
        const w = tf.randomNormal(shape, 0, config.initializer_range, 'float32', seed);
        const keep = tf.oneHot(config.pad_token_id, shape[0]!).reshape([shape[0]!, 1]);
        return tf.mul(w, tf.sub(1, keep));
      }
    }
  });
}

/**
 * Builds a model from HF-named weights. Throws CheckpointError naming any missing encoder tensor
 * or any tensor whose shape disagrees with the config; missing pooler/head tensors are freshly
 * initialised (seeded) and listed in the report.
 */
export function loadBertFromWeights(
  config: BertConfig,
  weights: WeightMap,
  opts: LoadOptions,
): { model: BertModel; report: LoadReport } {
  return build(config, weights, opts, false);
}

/** A model with every parameter freshly initialised as HF does (training from scratch). */
export function createBert(config: BertConfig, opts: LoadOptions): BertModel {
  return build(config, new Map(), opts, true).model;
}

function build(
  config: BertConfig,
  weights: WeightMap,
  opts: LoadOptions,
  fromScratch: boolean,
): { model: BertModel; report: LoadReport } {
  validateBertConfig(config);
  const numLabels = resolveNumLabels(config, opts);
  const report: LoadReport = { loaded: [], initialised: [], mismatched: [], unexpected: [], tied: [], renamed: [] };
  let display = (name: string): string => name;
  let skipped: string[] = [];
  if (config.model_type === DISTILBERT_MODEL_TYPE && !fromScratch) {
    const mapped = mapDistilBertWeights(weights, config.hidden_size, config.type_vocab_size);
    weights = mapped.weights;
    report.renamed.push(...mapped.renamed);
    skipped = mapped.skipped;
    const original = new Map(mapped.renamed.map(([from, to]) => [to, from]));
    display = (name) => original.get(name) ?? bertToDistilName(name, mapped.prefix);
  }
  const ckpt = normalise(weights, report);
  resolveTied(ckpt, config, opts.head, report);
  const plans = plan(ckpt, modelSpecs(config, opts.head, numLabels), opts, report, fromScratch, display);
  const byCanonical = new Map(report.renamed.map(([from, to]) => [to, from]));
  report.unexpected = [...[...ckpt.keys()].map((k) => byCanonical.get(k) ?? k), ...skipped];
  const seed = opts.seed ?? 0;
  const tensors = new Map<string, tf.Tensor>();
  plans.forEach(({ spec, source }, i) => {
    tensors.set(
      spec.name,
      source
        ? toInternal(spec.name, source.shape, source.data as Float32Array)
        : freshTensor(spec, config, seed * 7919 + i + 1),
    );
  });
  return { model: new BertModel(config, opts.head, numLabels, tensors), report };
}

function resolveNumLabels(config: BertConfig, opts: LoadOptions): number {
  const n = opts.numLabels ?? numLabelsOf(config);
  if (!Number.isInteger(n) || n < 1 || n > 100_000)
    throw new CheckpointError(`numLabels must be a positive integer, got ${n}`);
  return n;
}
