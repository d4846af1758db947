import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  loadCheckpoint,
  memorySource,
  readSafetensors,
  readTfjsModel,
  writeTfjsModel,
  type RawTensor,
  type WeightMap,
} from '../../../src/model/checkpoint';
import { sharedPath } from '../shared';

// Byte comparison: vitest's deep equality takes seconds on a 500k-element typed array.
function sameTensor(a: RawTensor | undefined, b: RawTensor): boolean {
  const bytes = (t: RawTensor) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return !!a && a.dtype === b.dtype && JSON.stringify(a.shape) === JSON.stringify(b.shape) && bytes(a).equals(bytes(b));
}

function filesOf(out: ReturnType<typeof writeTfjsModel>, dir = ''): Map<string, Uint8Array> {
  const m = new Map<string, Uint8Array>([
    [`${dir}model.json`, new TextEncoder().encode(JSON.stringify(out.modelJson))],
  ]);
  for (const s of out.shards) m.set(dir + s.name, s.data);
  return m;
}

describe('TF.js model.json + shards', () => {
  const weights = readSafetensors(
    new Uint8Array(readFileSync(sharedPath('fixtures', 'bert-parity', 'bert-seqcls', 'model.safetensors'))),
  );
  weights.set('ids', { dtype: 'int32', shape: [2, 2], data: new Int32Array([1, -2, 3, 2 ** 31 - 1]) });

  it('round-trips a real checkpoint exactly across 1 MB shards that split tensors', async () => {
    const out = writeTfjsModel(weights, {
      shardBytes: 1 << 20,
      extra: { format: 'bert-studio', config: { hidden_size: 16 } },
    });
    const total = [...weights.values()].reduce((a, t) => a + t.data.byteLength, 0);
    expect(out.shards.map((s) => s.name)).toEqual(['group1-shard1of2.bin', 'group1-shard2of2.bin']);
    expect(out.shards[0]!.data.length).toBe(1 << 20);
    expect(out.shards.reduce((a, s) => a + s.data.length, 0)).toBe(total);
    expect(out.modelJson.format).toBe('bert-studio');
    expect(out.modelJson.weightsManifest[0]!.weights[0]).toEqual({
      name: 'bert.embeddings.word_embeddings.weight',
      shape: [30522, 16],
      dtype: 'float32',
    });

    const read = (await readTfjsModel(memorySource(filesOf(out, 'tfjs/')), 'tfjs/model.json'))!;
    expect(read.files).toEqual(['tfjs/model.json', 'tfjs/group1-shard1of2.bin', 'tfjs/group1-shard2of2.bin']);
    expect([...read.weights.keys()]).toEqual([...weights.keys()]);
    for (const [name, t] of weights) expect(sameTensor(read.weights.get(name), t), name).toBe(true);
  });

  it('is found by loadCheckpoint when no HF weights exist', async () => {
    const out = writeTfjsModel(weights);
    expect(out.shards).toHaveLength(1);
    const { format, weights: w } = await loadCheckpoint(memorySource(filesOf(out)));
    expect(format).toBe('tfjs');
    expect(w.get('classifier.weight')).toEqual(weights.get('classifier.weight'));
  });

  it('decodes float16 and uint8 affine quantisation and bool', async () => {
    const half = new Uint8Array(new Uint16Array([0x3c00, 0xc200]).buffer);
    const bytes = new Uint8Array([...half, 0, 10, 255, 1, 0]);
    const modelJson = {
      weightsManifest: [
        {
          paths: ['w.bin'],
          weights: [
            { name: 'h', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } },
            { name: 'q', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
            { name: 'mask', shape: [2], dtype: 'bool' },
          ],
        },
      ],
    };
    const src = memorySource({ 'model.json': new TextEncoder().encode(JSON.stringify(modelJson)), 'w.bin': bytes });
    const w = (await readTfjsModel(src))!.weights;
    expect(Array.from(w.get('h')!.data)).toEqual([1, -3]);
    expect(Array.from(w.get('q')!.data)).toEqual([-1, 4, 126.5]);
    expect(w.get('mask')).toEqual({ dtype: 'int32', shape: [2], data: new Int32Array([1, 0]) });
  });

  it.each<[string, unknown, Record<string, Uint8Array>, RegExp]>([
    ['no manifest', { modelTopology: {} }, {}, /has no weightsManifest array/],
    ['missing shard', { weightsManifest: [{ paths: ['a.bin'], weights: [] }] }, {}, /weight shard a.bin is missing/],
    [
      'short shard',
      { weightsManifest: [{ paths: ['a.bin'], weights: [{ name: 'w', shape: [4], dtype: 'float32' }] }] },
      { 'a.bin': new Uint8Array(8) },
      /tfjs weight w: needs bytes \[0, 16\], shards hold 8/,
    ],
    [
      'string dtype',
      { weightsManifest: [{ paths: ['a.bin'], weights: [{ name: 's', shape: [1], dtype: 'string' }] }] },
      { 'a.bin': new Uint8Array(8) },
      /tfjs weight s: unsupported dtype "string"/,
    ],
    [
      'path traversal',
      { weightsManifest: [{ paths: ['../../secret'], weights: [] }] },
      {},
      /weight shard name "..\/..\/secret" is not a safe relative path/,
    ],
  ])('refuses %s', async (_, modelJson, extra, message) => {
    const src = memorySource({ 'model.json': new TextEncoder().encode(JSON.stringify(modelJson)), ...extra });
    await expect(readTfjsModel(src)).rejects.toThrow(CheckpointError);
    await expect(readTfjsModel(src)).rejects.toThrow(message);
  });

  it('writer refuses a non-positive shard size and mismatched data', () => {
    expect(() => writeTfjsModel(new Map(), { shardBytes: 0 })).toThrow(/shardBytes must be a positive integer/);
    const bad: WeightMap = new Map([['w', { dtype: 'int32', shape: [2], data: new Float32Array(2) }]]);
    expect(() => writeTfjsModel(bad)).toThrow(/does not match its Float32Array/);
  });
});
