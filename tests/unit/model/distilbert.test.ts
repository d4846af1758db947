// DistilBERT checkpoints on the BERT encoder: the bert-parity fixtures renamed to HF
// `modeling_distilbert.py` names (token types dropped) must give exactly the outputs of the BERT
// checkpoint with its token-type embeddings zeroed. Runs on the cpu backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WeightMap } from '../../../src/model/checkpoint/types';
import {
  bertConfigToJson,
  loadBertFromWeights,
  parseBertConfig,
  type BertModel,
  type HeadKind,
} from '../../../src/model';
import { batchInputs, checkpointWeights, readConfig, useBackend } from './helpers';

// Written out by hand from modeling_distilbert.py (independent of src/model/distilbert.ts).
const LAYER: Array<[string, string]> = [
  ['attention.self.query', 'attention.q_lin'],
  ['attention.self.key', 'attention.k_lin'],
  ['attention.self.value', 'attention.v_lin'],
  ['attention.output.dense', 'attention.out_lin'],
  ['attention.output.LayerNorm', 'sa_layer_norm'],
  ['intermediate.dense', 'ffn.lin1'],
  ['output.dense', 'ffn.lin2'],
  ['output.LayerNorm', 'output_layer_norm'],
];
const HEAD: Array<[string, string]> = [
  ['cls.predictions.transform.dense.', 'vocab_transform.'],
  ['cls.predictions.transform.LayerNorm.', 'vocab_layer_norm.'],
  ['cls.predictions.bias', 'vocab_projector.bias'],
];

/** A BERT fixture state dict under DistilBERT names; token types and pooler dropped. */
function toDistil(weights: WeightMap, prefix: string): WeightMap {
  const out: WeightMap = new Map();
  for (const [key, t] of weights) {
    const k = key.replace(/^bert\./, '');
    if (k.includes('token_type_embeddings') || k.startsWith('pooler.') || k === 'cls.predictions.decoder.bias')
      continue;
    const m = /^encoder\.layer\.(\d+)\.(.+)\.(weight|bias)$/.exec(k);
    const layer = m ? LAYER.find(([b]) => b === m[2]) : undefined;
    const head = HEAD.find(([b]) => k.startsWith(b));
    if (m && layer) out.set(`${prefix}transformer.layer.${m[1]}.${layer[1]}.${m[3]}`, t);
    else if (k.startsWith('embeddings.')) out.set(prefix + k, t);
    else if (head) out.set(head[1] + k.slice(head[0].length), t);
    else if (k === 'cls.predictions.decoder.weight') out.set('vocab_projector.weight', t);
    else out.set(k, t);
  }
  return out;
}

/** The same BERT checkpoint with every token-type row set to zero: DistilBERT's function. */
function zeroTypes(weights: WeightMap): WeightMap {
  const out = new Map(weights);
  for (const [k, t] of weights)
    if (k.endsWith('token_type_embeddings.weight'))
      out.set(k, { dtype: 'float32', shape: t.shape, data: new Float32Array(t.data.length) });
  return out;
}

/** DistilBertConfig with the fixture's sizes. */
function distilConfigJson(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const b = readConfig('bert-base') as Record<string, number>;
  return {
    model_type: 'distilbert',
    architectures: ['DistilBertModel'],
    vocab_size: b.vocab_size,
    dim: b.hidden_size,
    n_layers: b.num_hidden_layers,
    n_heads: b.num_attention_heads,
    hidden_dim: b.intermediate_size,
    activation: 'gelu',
    dropout: 0.1,
    attention_dropout: 0.1,
    max_position_embeddings: b.max_position_embeddings,
    sinusoidal_pos_embds: false,
    qa_dropout: 0.1,
    seq_classif_dropout: 0.2,
    pad_token_id: 0,
    initializer_range: 0.02,
    ...extra,
  };
}

type Out = Record<string, number[]>;
function run(model: BertModel): Out {
  return tf.tidy(() => {
    const inputs = batchInputs('main'); // its token_type_ids include 1s (sentence pairs)
    const res: Out = { hidden: Array.from(model.forward(inputs).lastHiddenState.dataSync()) };
    // MLM: vocabulary logits at a few positions only (30522-wide rows are slow on cpu).
    const positions = model.head === 'mlm' ? tf.tensor1d([0, 3, 7, 12], 'int32') : undefined;
    const h = model.head === 'base' ? null : model.headForward(inputs, positions ? { positions } : {});
    if (h?.kind === 'token-cls' || h?.kind === 'mlm') res.logits = Array.from(h.logits.dataSync());
    if (h?.kind === 'qa') res.logits = [...h.startLogits.dataSync(), ...h.endLogits.dataSync()];
    return res;
  });
}

const bertCfg = (folder: string) => parseBertConfig(readConfig(folder));

describe('DistilBERT checkpoints', () => {
  beforeAll(() => useBackend('cpu'));

  it('parses a DistilBERT config onto BERT keys and exports it as BERT', () => {
    const c = parseBertConfig(distilConfigJson({ architectures: ['DistilBertForTokenClassification'] }));
    expect([c.hidden_size, c.num_hidden_layers, c.num_attention_heads, c.intermediate_size]).toEqual([16, 2, 4, 37]);
    expect([c.hidden_act, c.layer_norm_eps, c.classifier_dropout, c.model_type]).toEqual([
      'gelu',
      1e-12,
      0.2,
      'distilbert',
    ]);
    expect(c.architectures).toEqual(['BertForTokenClassification']);
    const json = bertConfigToJson(c);
    expect(json.model_type).toBe('bert');
    for (const k of ['dim', 'n_layers', 'n_heads', 'hidden_dim', 'activation', 'sinusoidal_pos_embds', 'qa_dropout'])
      expect(json, k).not.toHaveProperty(k);
    expect(() => parseBertConfig(distilConfigJson({ activation: 'swish' }))).toThrow(/hidden_act "swish"/);
  });

  for (const [folder, head, prefix] of [
    ['bert-base', 'base', ''],
    ['bert-tokcls', 'token-cls', 'distilbert.'],
    ['bert-qa', 'qa', 'distilbert.'],
    ['bert-mlm', 'mlm', 'distilbert.'],
  ] as const) {
    it(`${head} (${prefix || 'no'} prefix): outputs equal BERT with zero token types`, () => {
      const weights = checkpointWeights(folder);
      const { model: ref } = loadBertFromWeights(bertCfg(folder), zeroTypes(weights), { head: head as HeadKind });
      const distilWeights = toDistil(weights, prefix);
      expect([...distilWeights.keys()].some((k) => k.includes('q_lin'))).toBe(true);
      const { model, report } = loadBertFromWeights(parseBertConfig(distilConfigJson()), distilWeights, {
        head: head as HeadKind,
        numLabels: ref.numLabels,
      });
      expect(report.unexpected).toEqual([]);
      expect(report.initialised).toEqual(head === 'base' ? ['bert.pooler.dense.weight', 'bert.pooler.dense.bias'] : []);
      const got = run(model);
      const want = run(ref);
      expect(got.hidden).toEqual(want.hidden);
      expect(got.logits).toEqual(want.logits);
      ref.dispose();
      model.dispose();
    });
  }

  it('does not load the ReLU seq-cls head onto the tanh pooler: reports it and initialises a fresh one', () => {
    const weights = toDistil(checkpointWeights('bert-base'), 'distilbert.');
    const h = 16;
    weights.set('pre_classifier.weight', { dtype: 'float32', shape: [h, h], data: new Float32Array(h * h).fill(0.5) });
    weights.set('pre_classifier.bias', { dtype: 'float32', shape: [h], data: new Float32Array(h) });
    weights.set('classifier.weight', { dtype: 'float32', shape: [3, h], data: new Float32Array(3 * h).fill(0.5) });
    weights.set('classifier.bias', { dtype: 'float32', shape: [3], data: new Float32Array(3) });
    const { model, report } = loadBertFromWeights(parseBertConfig(distilConfigJson()), weights, {
      head: 'seq-cls',
      numLabels: 3,
    });
    expect(report.unexpected.sort()).toEqual([
      'classifier.bias',
      'classifier.weight',
      'pre_classifier.bias',
      'pre_classifier.weight',
    ]);
    expect(report.initialised.sort()).toEqual([
      'bert.pooler.dense.bias',
      'bert.pooler.dense.weight',
      'classifier.bias',
      'classifier.weight',
    ]);
    const w = model.variables.get('classifier.weight')!;
    expect(Array.from(w.dataSync()).some((v) => v === 0.5)).toBe(false);
    model.dispose();
  });

  it('names the DistilBERT tensor when one is missing or mis-shaped', () => {
    const config = parseBertConfig(distilConfigJson());
    const weights = toDistil(checkpointWeights('bert-base'), 'distilbert.');
    const missing = new Map(weights);
    missing.delete('distilbert.transformer.layer.1.ffn.lin1.weight');
    expect(() => loadBertFromWeights(config, missing, { head: 'base' })).toThrow(
      /missing 1 encoder tensor.*distilbert\.transformer\.layer\.1\.ffn\.lin1\.weight/,
    );
    const bad = new Map(weights);
    bad.set('distilbert.transformer.layer.0.attention.q_lin.weight', {
      dtype: 'float32',
      shape: [16, 8],
      data: new Float32Array(128),
    });
    expect(() => loadBertFromWeights(config, bad, { head: 'base' })).toThrow(
      /distilbert\.transformer\.layer\.0\.attention\.q_lin\.weight has shape \[16, 8\]/,
    );
  });

  it('loads sinusoidal position embeddings as stored in the checkpoint', () => {
    const weights = checkpointWeights('bert-base');
    const { model: ref } = loadBertFromWeights(bertCfg('bert-base'), zeroTypes(weights), { head: 'base' });
    const config = parseBertConfig(distilConfigJson({ sinusoidal_pos_embds: true }));
    const { model } = loadBertFromWeights(config, toDistil(weights, ''), { head: 'base' });
    expect(run(model).hidden).toEqual(run(ref).hidden);
    ref.dispose();
    model.dispose();
  });

  it('exports BERT names and config that load back to the same outputs', async () => {
    const weights = toDistil(checkpointWeights('bert-tokcls'), 'distilbert.');
    const { model } = loadBertFromWeights(parseBertConfig(distilConfigJson()), weights, {
      head: 'token-cls',
      numLabels: 5,
    });
    const exported = await model.exportWeights();
    expect(exported.has('bert.encoder.layer.0.attention.self.query.weight')).toBe(true);
    expect(exported.get('bert.embeddings.token_type_embeddings.weight')?.shape).toEqual([2, 16]);
    const json = model.exportConfig();
    expect([json.model_type, json.architectures, json.type_vocab_size]).toEqual([
      'bert',
      ['BertForTokenClassification'],
      2,
    ]);
    const { model: back, report } = loadBertFromWeights(parseBertConfig(json), exported, { head: 'token-cls' });
    expect(report.initialised).toEqual([]);
    expect(run(back)).toEqual(run(model));
    back.dispose();
    model.dispose();
  });
});
