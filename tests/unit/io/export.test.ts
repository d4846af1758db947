import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadCheckpoint,
  readSafetensors,
  readTfjsModel,
  zipSource,
  type WeightMap,
} from '../../../src/model/checkpoint';
import { buildHfExport, zipHfExport, type HfExportInput } from '../../../src/io';
import { sharedPath } from '../shared';

const FIX = sharedPath('fixtures', 'bert-parity');
const read = (folder: string, f: string): Buffer => fs.readFileSync(path.join(FIX, folder, f));
const json = (b: Uint8Array): Record<string, unknown> =>
  JSON.parse(new TextDecoder().decode(b)) as Record<string, unknown>;
const bytes = (d: Float32Array | Int32Array): Buffer => Buffer.from(d.buffer, d.byteOffset, d.byteLength);

/** name -> [dtype, shape] from a safetensors header, without __metadata__. */
function header(file: Uint8Array): Record<string, [string, number[]]> {
  const len = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  const h = json(file.subarray(8, 8 + len)) as Record<string, { dtype: string; shape: number[] }>;
  delete h.__metadata__;
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, [v.dtype, v.shape]]));
}

function expectSameWeights(got: WeightMap, want: WeightMap): void {
  expect([...got.keys()]).toEqual([...want.keys()]);
  for (const [name, t] of want) {
    const g = got.get(name)!;
    expect(g.shape, name).toEqual(t.shape);
    expect(bytes(g.data).equals(bytes(t.data)), `${name} bytes`).toBe(true);
  }
}

function seqclsInput(): HfExportInput {
  const config = json(read('bert-seqcls', 'config.json'));
  delete config.id2label; // the export must fill these in from `labels`
  delete config.label2id;
  return {
    config,
    weights: readSafetensors(read('bert-seqcls', 'model.safetensors')),
    vocabText: read('bert-seqcls', 'vocab.txt').toString('utf8'),
    tokenizerConfig: json(read('bert-seqcls', 'tokenizer_config.json')),
    task: 'seq-cls',
    labels: ['negative', 'neutral', 'positive'],
    metrics: { accuracy: 0.8125, f1_macro: 0.79 },
    hyperparameters: { learning_rate: 5e-5, epochs: 3, batch_size: 32, max_length: 64, warmup_ratio: 0.1 },
    freezing: 'embeddings frozen; encoder layers 0-1 trained',
    dataset: { name: 'sst2-sample.csv', rows: 7200 },
    studioVersion: '0.1.0',
    baseModel: 'google/bert_uncased_L-2_H-128_A-2',
    modelName: 'sentiment-tiny',
    date: new Date('2025-03-04T05:06:07Z'),
    tfjsShardBytes: 500_000,
  };
}

describe('buildHfExport', () => {
  it('writes the HF folder files, a model card and tfjs shards', () => {
    const files = buildHfExport(seqclsInput());
    const names = files.map((f) => f.name);
    expect(names.slice(0, 7)).toEqual([
      'config.json',
      'vocab.txt',
      'tokenizer_config.json',
      'special_tokens_map.json',
      'model.safetensors',
      'README.md',
      'training_args.json',
    ]);
    expect(names.slice(7)).toEqual([
      'tfjs/model.json',
      'tfjs/group1-shard1of4.bin',
      'tfjs/group1-shard2of4.bin',
      'tfjs/group1-shard3of4.bin',
      'tfjs/group1-shard4of4.bin',
    ]);
    const get = (n: string): Uint8Array => files.find((f) => f.name === n)!.data;

    // config.json equals the fixture's own (labels rebuilt from the list, same keys and order).
    const want = { ...json(read('bert-seqcls', 'config.json')), problem_type: 'single_label_classification' };
    const config = json(get('config.json'));
    expect(config).toEqual(want);
    expect(Object.keys(config)).toEqual(Object.keys(want).sort()); // sorted like save_pretrained
    expect(Buffer.from(get('vocab.txt')).equals(read('bert-seqcls', 'vocab.txt'))).toBe(true);
    expect(json(get('tokenizer_config.json'))).toEqual(json(read('bert-seqcls', 'tokenizer_config.json')));
    expect(json(get('special_tokens_map.json'))).toEqual(json(read('bert-seqcls', 'special_tokens_map.json')));

    // The safetensors header lists exactly the fixture's names, dtypes and shapes, in its order.
    const got = header(get('model.safetensors'));
    expect(Object.entries(got)).toEqual(Object.entries(header(read('bert-seqcls', 'model.safetensors'))));

    const card = new TextDecoder().decode(get('README.md'));
    for (const s of [
      'base_model: google/bert_uncased_L-2_H-128_A-2',
      'pipeline_tag: text-classification',
      '# sentiment-tiny',
      '**sst2-sample.csv** (7,200 rows)',
      '| 2 | positive |',
      '| learning_rate | 0.00005 |',
      '| batch_size | 32 |',
      'embeddings frozen; encoder layers 0-1 trained',
      '| accuracy | 0.8125 |',
      '| f1_macro | 0.7900 |',
      'BERT Studio 0.1.0',
      '2025-03-04',
      'single_label_classification',
    ]) {
      expect(card).toContain(s);
    }
    const args = json(get('training_args.json'));
    expect(args).toMatchObject({
      studio_version: '0.1.0',
      task: 'seq-cls',
      base_model: 'google/bert_uncased_L-2_H-128_A-2',
      dataset: { rows: 7200 },
    });
    expect(json(get('tfjs/model.json')).format).toBe('weights');
  });

  it('round-trips byte-exact through the zip (safetensors and tfjs copies)', async () => {
    const input = seqclsInput();
    const zip = zipHfExport(buildHfExport(input), 'sentiment tiny');
    const source = zipSource(zip);
    expect(await source.list!()).toContain('tfjs/model.json'); // the top folder is stripped again
    const ckpt = await loadCheckpoint(source);
    expect(ckpt.format).toBe('safetensors');
    expectSameWeights(ckpt.weights, input.weights);
    const tfjs = await readTfjsModel(source, 'tfjs/model.json');
    expectSameWeights(tfjs!.weights, input.weights);
    expect(json((await source.read('config.json'))!).label2id).toEqual({ negative: 0, neutral: 1, positive: 2 });
  });

  it('drops the tied MLM decoder like HF safetensors and matches its header', async () => {
    // A model's full state dict has the tied decoder tensors too (as pytorch_model.bin does).
    const weights = readSafetensors(read('bert-mlm', 'model.safetensors'));
    weights.set('cls.predictions.decoder.weight', weights.get('bert.embeddings.word_embeddings.weight')!);
    weights.set('cls.predictions.decoder.bias', weights.get('cls.predictions.bias')!);
    const files = buildHfExport({
      ...seqclsInput(),
      config: json(read('bert-mlm', 'config.json')),
      weights,
      task: 'mlm',
      labels: [],
    });
    const st = files.find((f) => f.name === 'model.safetensors')!.data;
    expect(Object.entries(header(st))).toEqual(Object.entries(header(read('bert-mlm', 'model.safetensors'))));
    const config = json(files[0]!.data);
    expect(config.architectures).toEqual(['BertForMaskedLM']);
    expect(config.problem_type).toBeUndefined();
    expectSameWeights(
      (await loadCheckpoint(zipSource(zipHfExport(files)))).weights,
      readSafetensors(read('bert-mlm', 'model.safetensors')),
    );
  });

  it('refuses inconsistent inputs with clear messages', () => {
    const tok = {
      ...seqclsInput(),
      config: json(read('bert-tokcls', 'config.json')),
      weights: readSafetensors(read('bert-tokcls', 'model.safetensors')),
      task: 'token-cls' as const,
    };
    expect(() => buildHfExport(tok)).toThrow(/classifier\.weight has 5 rows but there are 3 labels/);
    expect(() => buildHfExport({ ...tok, labels: [] })).toThrow(/token-cls export needs its labels/);
    const files = buildHfExport({ ...tok, labels: ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'] });
    expect(json(files[0]!.data).id2label).toEqual(json(read('bert-tokcls', 'config.json')).id2label);
    expect(() => buildHfExport({ ...seqclsInput(), config: { ...seqclsInput().config, hidden_size: 32 } })).toThrow(
      /word embeddings are \[30522, 16\], config says \[30522, 32\]/,
    );
  });
});
