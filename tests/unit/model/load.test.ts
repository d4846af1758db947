// Loader behaviour (prefixes, legacy names, tied decoder, fresh heads, shape errors), config
// validation, and export back to HF names/layout. Runs on the cpu backend.
import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPytorchBin } from '../../../src/model/checkpoint';
import type { WeightMap } from '../../../src/model/checkpoint/types';
import {
  ConfigError,
  createBert,
  loadBertFromWeights,
  parseBertConfig,
  bertConfigToJson,
  type BertModel,
} from '../../../src/model';
import {
  FIXTURE_DIR,
  batchInputs,
  checkpointWeights,
  expectClose,
  loadFixtureModel,
  out,
  readConfig,
  useBackend,
} from './helpers';

const cfg = () => parseBertConfig(readConfig('bert-base'));

function lastHidden(model: BertModel): Float32Array {
  return tf.tidy(() => model.forward(batchInputs('main')).lastHiddenState.dataSync() as Float32Array);
}

describe('loadBertFromWeights', () => {
  beforeAll(() => useBackend('cpu'));

  it('loads a BertModel checkpoint without the bert. prefix, reporting nothing missing', () => {
    const { model, report } = loadFixtureModel('bert-base', 'base');
    expect(report.initialised).toEqual([]);
    expect(report.unexpected).toEqual([]);
    expect(report.renamed).toContainEqual([
      'embeddings.word_embeddings.weight',
      'bert.embeddings.word_embeddings.weight',
    ]);
    expect(model.variables.has('bert.pooler.dense.weight')).toBe(true);
    model.dispose();
  });

  it('accepts legacy LayerNorm.gamma/beta names with identical outputs', () => {
    const renamed: WeightMap = new Map();
    for (const [k, v] of checkpointWeights('bert-base'))
      renamed.set(k.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta'), v);
    expect([...renamed.keys()].some((k) => k.endsWith('gamma'))).toBe(true);
    const a = loadFixtureModel('bert-base', 'base').model;
    const { model: b, report } = loadBertFromWeights(cfg(), renamed, { head: 'base' });
    expect(report.initialised).toEqual([]);
    expect(Array.from(lastHidden(b))).toEqual(Array.from(lastHidden(a)));
    a.dispose();
    b.dispose();
  });

  it('initialises a missing head and pooler (seeded, HF init) and reports unexpected tensors', () => {
    const weights = checkpointWeights('bert-mlm');
    const load = (seed: number) => loadBertFromWeights(cfg(), weights, { head: 'seq-cls', numLabels: 4, seed });
    const { model, report } = load(7);
    expect(report.initialised.sort()).toEqual([
      'bert.pooler.dense.bias',
      'bert.pooler.dense.weight',
      'classifier.bias',
      'classifier.weight',
    ]);
    expect(report.unexpected.sort()).toEqual([
      'cls.predictions.bias',
      'cls.predictions.transform.LayerNorm.bias',
      'cls.predictions.transform.LayerNorm.weight',
      'cls.predictions.transform.dense.bias',
      'cls.predictions.transform.dense.weight',
    ]);
    const w = model.variables.get('classifier.weight')!;
    expect(w.shape).toEqual([16, 4]); // model layout [in, out]
    const data = Array.from(w.dataSync());
    const std = Math.sqrt(data.reduce((s, v) => s + v * v, 0) / data.length);
    expect(std).toBeGreaterThan(0.01);
    expect(std).toBeLessThan(0.03);
    expect(Array.from(model.variables.get('classifier.bias')!.dataSync())).toEqual([0, 0, 0, 0]);
    const again = load(7).model;
    const other = load(8).model;
    expect(Array.from(again.variables.get('classifier.weight')!.dataSync())).toEqual(data);
    expect(Array.from(other.variables.get('classifier.weight')!.dataSync())).not.toEqual(data);
    [model, again, other].forEach((m) => m.dispose());
  });

  it('accepts the tied MLM decoder keys of a full state dict (pytorch_model.bin) with the same outputs', () => {
    const bin = readPytorchBin(new Uint8Array(fs.readFileSync(`${FIXTURE_DIR}/bert-mlm/pytorch_model.bin`)));
    expect(bin.has('cls.predictions.decoder.weight')).toBe(true);
    const { model, report } = loadBertFromWeights(parseBertConfig(readConfig('bert-mlm')), bin, { head: 'mlm' });
    expect(report.tied.sort()).toEqual(['cls.predictions.decoder.bias', 'cls.predictions.decoder.weight']);
    expect(report.unexpected).toEqual([]);
    expect(report.initialised).toEqual([]);
    const mask = out('main.attention_mask').data;
    expectClose(lastHidden(model), out('main.base.last_hidden_state').data, 'bin last_hidden_state', {
      abs: 1e-4,
      rowMask: mask,
      rowSize: 16,
    });
    model.dispose();
  });

  it('loads bert-base/pytorch_model.bin to the same outputs as model.safetensors', () => {
    const bin = readPytorchBin(new Uint8Array(fs.readFileSync(`${FIXTURE_DIR}/bert-base/pytorch_model.bin`)));
    const { model } = loadBertFromWeights(cfg(), bin, { head: 'base' });
    const ref = loadFixtureModel('bert-base', 'base').model;
    expect(Array.from(lastHidden(model))).toEqual(Array.from(lastHidden(ref)));
    model.dispose();
    ref.dispose();
  });

  it('names the tensor when a shape disagrees with the config, or an encoder tensor is missing', () => {
    const weights = checkpointWeights('bert-base');
    const small = parseBertConfig({ ...(readConfig('bert-base') as object), vocab_size: 30000 });
    expect(() => loadBertFromWeights(small, weights, { head: 'base' })).toThrow(
      /bert\.embeddings\.word_embeddings\.weight has shape \[30522, 16\].*\[30000, 16\]/,
    );
    const missing = new Map(weights);
    missing.delete('encoder.layer.1.output.dense.weight');
    expect(() => loadBertFromWeights(cfg(), missing, { head: 'base' })).toThrow(
      /missing 1 encoder tensor.*bert\.encoder\.layer\.1\.output\.dense\.weight/,
    );
    const seqcls = checkpointWeights('bert-seqcls');
    expect(() => loadBertFromWeights(cfg(), seqcls, { head: 'seq-cls', numLabels: 2 })).toThrow(
      /classifier\.weight has shape \[3, 16\]/,
    );
    const { model, report } = loadBertFromWeights(cfg(), seqcls, {
      head: 'seq-cls',
      numLabels: 2,
      ignoreMismatchedHead: true,
    });
    expect(report.mismatched.sort()).toEqual(['classifier.bias', 'classifier.weight']);
    model.dispose();
  });

  it('exports HF names and layout that round-trip bit-exactly', async () => {
    for (const [folder, head] of [
      ['bert-base', 'base'],
      ['bert-seqcls', 'seq-cls'],
      ['bert-tokcls', 'token-cls'],
      ['bert-qa', 'qa'],
      ['bert-mlm', 'mlm'],
    ] as const) {
      const original = checkpointWeights(folder);
      const { model } = loadFixtureModel(folder, head);
      const exported = await model.exportWeights();
      expect([...exported.keys()].sort(), folder).toEqual([...original.keys()].sort());
      for (const [name, t] of original) {
        const e = exported.get(name)!;
        expect(e.shape, name).toEqual(t.shape);
        expect(
          Buffer.from(e.data.buffer).equals(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength)),
          name,
        ).toBe(true);
      }
      const config = model.exportConfig();
      expect(config).toEqual(readConfig(folder));
      model.dispose();
    }
  });

  it('createBert initialises every tensor (pad row of word embeddings zero)', () => {
    const model = createBert(cfg(), { head: 'mlm', seed: 1 });
    const word = model.variables.get('bert.embeddings.word_embeddings.weight')!;
    expect(Array.from(word.slice([0, 0], [1, 16]).dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(model.variables.get('bert.embeddings.LayerNorm.weight')!.dataSync()).every((v) => v === 1)).toBe(
      true,
    );
    model.dispose();
  });
});

describe('parseBertConfig', () => {
  const base = () => readConfig('bert-seqcls') as Record<string, unknown>;

  it('keeps every key so config.json round-trips', () => {
    expect(bertConfigToJson(parseBertConfig(base()))).toEqual(base());
  });

  it.each([
    [{ hidden_size: 1e9 }, /hidden_size = 1000000000 exceeds/],
    [{ vocab_size: 1e9 }, /vocab_size = 1000000000 exceeds/],
    [{ hidden_size: 18 }, /not a multiple of num_attention_heads/],
    [{ hidden_act: 'swish' }, /hidden_act "swish" is not supported/],
    [{ num_hidden_layers: 2.5 }, /num_hidden_layers must be an integer/],
    [{ vocab_size: 500_000, hidden_size: 4096, num_attention_heads: 16 }, /weight matrix over/],
    [{ position_embedding_type: 'relative_key' }, /position_embedding_type/],
  ])('rejects %j', (patch, message) => {
    expect(() => parseBertConfig({ ...base(), ...patch })).toThrow(ConfigError);
    expect(() => parseBertConfig({ ...base(), ...patch })).toThrow(message);
  });
});
