import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCheckpoint, readSafetensors } from '../../../src/model/checkpoint';
import { memoryKv, type KvStore } from '../../../src/io/kv';
import { ModelLibrary, type SaveModelInput } from '../../../src/io';
import { sharedPath } from '../shared';

const SEQCLS = sharedPath('fixtures', 'bert-parity', 'bert-seqcls');
const FILES = ['config.json', 'vocab.txt', 'tokenizer_config.json', 'model.safetensors'];

/** The error a promise rejects with; fails the test when it resolves. */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the promise to reject');
}

function input(name = 'sentiment v1'): SaveModelInput {
  return {
    name,
    baseModel: 'google/bert_uncased_L-2_H-128_A-2',
    task: 'seq-cls',
    labels: ['negative', 'neutral', 'positive'],
    metrics: { accuracy: 0.875, f1: 0.81 },
    files: FILES.map((f) => ({ name: f, data: new Uint8Array(fs.readFileSync(path.join(SEQCLS, f))) })),
  };
}

let tick = 0;
const clock = (): Date => new Date(Date.UTC(2025, 0, 1, 0, 0, tick++));

/** A KvStore whose chosen put fails, as IndexedDB does when the disk quota runs out. */
function failingKv(inner: KvStore, failOnPut: number, error: () => Error): KvStore & { puts: number } {
  const kv = {
    ...inner,
    puts: 0,
    put: async (store: string, key: string, value: unknown) => {
      if (++kv.puts === failOnPut) throw error();
      return inner.put(store, key, value);
    },
  };
  return kv;
}

const allKeys = async (kv: KvStore): Promise<string[]> => [...(await kv.keys('models')), ...(await kv.keys('files'))];

describe('ModelLibrary', () => {
  it('saves, lists, loads, renames and deletes models', async () => {
    const kv = memoryKv();
    const lib = new ModelLibrary(kv, { estimate: null, now: clock });
    const a = await lib.save(input('first'));
    const b = await lib.save(input('second'));
    expect(a.sizeBytes).toBe(FILES.reduce((s, f) => s + fs.statSync(path.join(SEQCLS, f)).size, 0));
    expect(a.files.map((f) => f.name)).toEqual(FILES);
    expect(a).toMatchObject({
      baseModel: 'google/bert_uncased_L-2_H-128_A-2',
      task: 'seq-cls',
      labels: ['negative', 'neutral', 'positive'],
      metrics: { accuracy: 0.875 },
    });
    expect((await lib.list()).map((r) => r.name)).toEqual(['second', 'first']); // newest first

    const loaded = await lib.load(a.id);
    expect(loaded.record).toEqual(a);
    expect(await loaded.list!()).toEqual(FILES);
    expect(await loaded.read('pytorch_model.bin')).toBeNull();
    const ckpt = await loadCheckpoint(loaded);
    const want = readSafetensors(fs.readFileSync(path.join(SEQCLS, 'model.safetensors')));
    expect([...ckpt.weights.keys()]).toEqual([...want.keys()]);
    const bytes = (d: Float32Array | Int32Array): Buffer => Buffer.from(d.buffer, d.byteOffset, d.byteLength);
    for (const [name, t] of want) expect(bytes(ckpt.weights.get(name)!.data).equals(bytes(t.data)), name).toBe(true);
    expect(JSON.parse((await loaded.readText('config.json'))!).id2label['2']).toBe('positive');

    expect((await lib.rename(a.id, '  renamed ')).name).toBe('renamed');
    expect((await lib.get(a.id))!.name).toBe('renamed');
    await expect(lib.rename(a.id, '  ')).rejects.toThrow(/needs a name/);

    await lib.delete(a.id);
    expect((await lib.list()).map((r) => r.id)).toEqual([b.id]);
    expect(await kv.keys('files')).toEqual(FILES.map((f) => `${b.id}/${f}`));
    await expect(lib.load(a.id)).rejects.toThrow(/no model with id/);
  });

  it('reports a quota failure mid-save clearly and leaves no record or files', async () => {
    const inner = memoryKv();
    // 4 files, then the record: fail on the 3rd file, like a disk filling up.
    const kv = failingKv(inner, 3, () => new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    const lib = new ModelLibrary(kv, { estimate: null });
    const err = await rejection(lib.save(input()));
    expect(err.name).toBe('QuotaError');
    expect(err.message).toMatch(/browser storage is full: could not save "sentiment v1" \(2\.2 MB\)/);
    expect(await allKeys(inner)).toEqual([]);
    expect(await lib.list()).toEqual([]);
  });

  it('leaves nothing when committing the record fails', async () => {
    const inner = memoryKv();
    const kv = failingKv(inner, FILES.length + 1, () => new Error('disk I/O error'));
    const lib = new ModelLibrary(kv, { estimate: null });
    await expect(lib.save(input())).rejects.toThrow(/disk I\/O error/);
    expect(await allKeys(inner)).toEqual([]);
  });

  it('verifies every file by reading it back before committing', async () => {
    const inner = memoryKv();
    const corrupting: KvStore = {
      ...inner,
      get: async (store, key) => {
        const v = await inner.get(store, key);
        if (v instanceof Uint8Array && key.endsWith('model.safetensors')) v[100] = v[100]! ^ 1;
        return v;
      },
    };
    const lib = new ModelLibrary(corrupting, { estimate: null });
    await expect(lib.save(input())).rejects.toThrow(/model\.safetensors did not read back identically/);
    expect(await allKeys(inner)).toEqual([]);
  });

  it('refuses up front when the estimate says the model will not fit', async () => {
    const kv = memoryKv();
    const lib = new ModelLibrary(kv, { estimate: async () => ({ quota: 3_000_000, usage: 1_000_000 }) });
    const err = await rejection(lib.save(input()));
    expect(err.name).toBe('QuotaError');
    expect(err.message).toMatch(
      /saving "sentiment v1" needs 2\.2 MB of browser storage but only 2\.0 MB is free \(quota 3\.0 MB, used 1\.0 MB\)/,
    );
    expect(await allKeys(kv)).toEqual([]);
  });

  it('rejects bad input and sweeps files a closed tab left behind', async () => {
    const kv = memoryKv();
    const lib = new ModelLibrary(kv, { estimate: null });
    await expect(lib.save({ ...input(), name: ' ' })).rejects.toThrow(/needs a name/);
    await expect(lib.save({ ...input(), files: [] })).rejects.toThrow(/no files/);
    const kept = await lib.save(input());
    await kv.put('files', 'orphan-id/model.safetensors', new Uint8Array(8));
    expect(await lib.sweepOrphans()).toBe(1);
    expect((await kv.keys('files')).every((k) => k.startsWith(kept.id + '/'))).toBe(true);
  });
});
