import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  fileListSource,
  loadCheckpoint,
  memorySource,
  normalizeNames,
  readSafetensors,
  stripPrefix,
  urlSource,
  writeSafetensors,
  type RawTensor,
  type WeightMap,
} from '../../../src/model/checkpoint';
import { nodeFolderSource } from '../../../src/model/checkpoint/nodeSource';
import { sharedPath } from '../shared';
import { f32Bytes, stateDictPickle, torchZip } from './torchZip';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const t = (...v: number[]): RawTensor => ({ dtype: 'float32', shape: [v.length], data: new Float32Array(v) });
const base = sharedPath('fixtures', 'bert-parity', 'bert-base');

describe('loadCheckpoint', () => {
  const a: WeightMap = new Map([
    ['a', t(1, 2)],
    ['b', t(3)],
  ]);
  const b: WeightMap = new Map([['c', t(4, 5, 6)]]);
  const index = (weight_map: Record<string, string>) =>
    enc(JSON.stringify({ metadata: { total_size: 24 }, weight_map }));

  it('merges sharded safetensors in index order', async () => {
    const src = memorySource({
      'model.safetensors.index.json': index({
        c: 'model-00002-of-00002.safetensors',
        a: 'model-00001-of-00002.safetensors',
        b: 'model-00001-of-00002.safetensors',
      }),
      'model-00001-of-00002.safetensors': writeSafetensors(a),
      'model-00002-of-00002.safetensors': writeSafetensors(b),
      'pytorch_model.bin': enc('never read'),
    });
    const out = await loadCheckpoint(src);
    expect(out.format).toBe('safetensors-sharded');
    expect(out.files).toEqual([
      'model.safetensors.index.json',
      'model-00002-of-00002.safetensors',
      'model-00001-of-00002.safetensors',
    ]);
    expect([...out.weights.keys()]).toEqual(['c', 'a', 'b']);
    expect(out.weights.get('c')).toEqual(t(4, 5, 6));
  });

  it('merges sharded pytorch_model.bin files', async () => {
    const shard = (name: string, values: number[]) =>
      torchZip(
        stateDictPickle([
          {
            name,
            storage: 'FloatStorage',
            key: '0',
            numel: values.length,
            offset: 0,
            size: [values.length],
            stride: [1],
          },
        ]),
        { '0': f32Bytes(values) },
      );
    const src = memorySource({
      'pytorch_model.bin.index.json': index({
        x: 'pytorch_model-00001-of-00002.bin',
        y: 'pytorch_model-00002-of-00002.bin',
      }),
      'pytorch_model-00001-of-00002.bin': shard('x', [1, 2]),
      'pytorch_model-00002-of-00002.bin': shard('y', [3]),
    });
    const out = await loadCheckpoint(src);
    expect(out.format).toBe('pytorch-sharded');
    expect(out.weights.get('x')).toEqual(t(1, 2));
    expect(out.weights.get('y')).toEqual(t(3));
  });

  it.each<[string, Record<string, Uint8Array>, RegExp]>([
    ['a missing shard', { 'model.safetensors.index.json': index({ a: 's1' }) }, /lists shard s1, which is missing/],
    [
      'a tensor not in its shard',
      { 'model.safetensors.index.json': index({ zz: 's1' }), s1: writeSafetensors(a) },
      /puts zz in s1, but it is not there/,
    ],
    [
      'a tensor in two shards',
      { 'model.safetensors.index.json': index({ a: 's1', b: 's2' }), s1: writeSafetensors(a), s2: writeSafetensors(a) },
      /tensor a is in both s1 and s2/,
    ],
    [
      'a shard path escaping the folder',
      { 'model.safetensors.index.json': index({ a: '../s1' }) },
      /shard name "..\/s1" is not a safe relative path/,
    ],
    ['an index without weight_map', { 'model.safetensors.index.json': enc('{"metadata": {}}') }, /has no weight_map/],
    [
      'a corrupt shard, named in the error',
      { 'model.safetensors.index.json': index({ a: 's1' }), s1: enc('xx') },
      /^s1: safetensors file is 2 bytes/,
    ],
  ])('refuses %s', async (_, files, message) => {
    await expect(loadCheckpoint(memorySource(files))).rejects.toThrow(CheckpointError);
    await expect(loadCheckpoint(memorySource(files))).rejects.toThrow(message);
  });

  it('lists every file it looked for when there are no weights', async () => {
    await expect(loadCheckpoint(memorySource({ 'config.json': enc('{}') }))).rejects.toThrow(
      'no weights found: looked for model.safetensors, model.safetensors.index.json, pytorch_model.bin, pytorch_model.bin.index.json, model.json',
    );
  });
});

describe('file sources', () => {
  it('nodeFolderSource lists, reads, returns null for missing files and refuses escapes', async () => {
    const src = nodeFolderSource(base);
    expect((await src.list!()).sort()).toEqual([
      'config.json',
      'model.safetensors',
      'pytorch_model.bin',
      'special_tokens_map.json',
      'tokenizer_config.json',
      'vocab.txt',
    ]);
    expect(JSON.parse((await src.readText('config.json'))!).hidden_size).toBe(16);
    expect(await src.read('nope.bin')).toBeNull();
    await expect(src.read('../bert-mlm/config.json')).rejects.toThrow(/points outside/);
  });

  it('fileListSource strips the picked folder name and falls back to unique basenames', async () => {
    const file = (path: string, text: string) => ({
      name: path.split('/').pop()!,
      webkitRelativePath: path,
      arrayBuffer: async () => enc(text).buffer as ArrayBuffer,
    });
    const src = fileListSource([
      file('my-bert/config.json', '{"a":1}'),
      file('my-bert/tok/vocab.txt', 'x'),
      file('my-bert/a/dup.txt', '1'),
      file('my-bert/b/dup.txt', '2'),
    ]);
    expect((await src.list!()).sort()).toEqual(['a/dup.txt', 'b/dup.txt', 'config.json', 'tok/vocab.txt']);
    expect(await src.readText('config.json')).toBe('{"a":1}');
    expect(await src.readText('vocab.txt')).toBe('x');
    expect(await src.read('dup.txt')).toBeNull();
    expect(await src.read('missing')).toBeNull();
  });

  it('urlSource: joins and encodes names, 404 -> null, other statuses and network errors -> CheckpointError', async () => {
    const st = new Uint8Array(readFileSync(`${base}/model.safetensors`));
    const seen: string[] = [];
    const fake = (async (url: string) => {
      seen.push(url);
      if (url.endsWith('/model.safetensors')) return new Response(st);
      if (url.includes('boom')) throw new TypeError('network down');
      if (url.includes('secret')) return new Response('no', { status: 401, statusText: 'Unauthorized' });
      return new Response('missing', { status: 404 });
    }) as typeof fetch;
    const src = urlSource('https://hub.test/bert/resolve/main/', { fetch: fake });
    const { weights, format } = await loadCheckpoint(src);
    expect(format).toBe('safetensors');
    expect(weights.size).toBe(readSafetensors(st).size);
    expect(await src.read('a b/c#d.json')).toBeNull();
    expect(seen).toEqual([
      'https://hub.test/bert/resolve/main/model.safetensors',
      'https://hub.test/bert/resolve/main/a%20b/c%23d.json',
    ]);
    await expect(src.read('secret.bin')).rejects.toThrow(/HTTP 401 Unauthorized/);
    await expect(src.read('boom.bin')).rejects.toThrow(/could not fetch .*boom.bin: network down/);
  });
});

describe('name helpers', () => {
  it('normalizeNames renames legacy LayerNorm gamma/beta, keeps order and reports', () => {
    const w: WeightMap = new Map([
      ['bert.embeddings.LayerNorm.gamma', t(1)],
      ['bert.embeddings.LayerNorm.beta', t(2)],
      ['bert.encoder.layer.0.output.dense.weight', t(3)],
      ['gamma_scale.beta_x', t(4)],
    ]);
    const { weights, renamed } = normalizeNames(w);
    expect([...weights.keys()]).toEqual([
      'bert.embeddings.LayerNorm.weight',
      'bert.embeddings.LayerNorm.bias',
      'bert.encoder.layer.0.output.dense.weight',
      'gamma_scale.beta_x',
    ]);
    expect(renamed).toEqual([
      ['bert.embeddings.LayerNorm.gamma', 'bert.embeddings.LayerNorm.weight'],
      ['bert.embeddings.LayerNorm.beta', 'bert.embeddings.LayerNorm.bias'],
    ]);
    expect(weights.get('bert.embeddings.LayerNorm.bias')).toBe(w.get('bert.embeddings.LayerNorm.beta'));
    expect(() =>
      normalizeNames(
        new Map([
          ['x.LayerNorm.gamma', t(1)],
          ['x.LayerNorm.weight', t(2)],
        ]),
      ),
    ).toThrow(/collides/);
  });

  it('stripPrefix removes a prefix where present', () => {
    const { weights, renamed } = stripPrefix(
      new Map([
        ['bert.pooler.dense.bias', t(1)],
        ['classifier.bias', t(2)],
      ]),
      'bert.',
    );
    expect([...weights.keys()]).toEqual(['pooler.dense.bias', 'classifier.bias']);
    expect(renamed).toEqual([['bert.pooler.dense.bias', 'pooler.dense.bias']]);
  });
});
