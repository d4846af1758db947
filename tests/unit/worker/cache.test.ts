// The worker's cache handlers over an in-memory cache: the listing the Model step shows, removing
// one model (from every hub it came from) and clearing everything.
import { describe, expect, it } from 'vitest';
import { kvCache, memoryKv, type ModelCache } from '../../../src/io';
import { cacheKey, writeManifest } from '../../../src/io/cache';
import { cacheReport, clearModelCache } from '../../../src/train/worker/cache';

async function store(cache: ModelCache, hub: string, id: string, sizes: Record<string, number>): Promise<void> {
  for (const [name, n] of Object.entries(sizes)) await cache.put(cacheKey(hub, id, name), new Uint8Array(n));
  const files = Object.entries(sizes).map(([name, sizeBytes]) => ({ name, sizeBytes }));
  await writeManifest(cache, { hub, id, files, missing: [], savedAt: '2025-01-01T00:00:00Z' });
}

describe('model cache handlers', () => {
  it('lists complete models with sizes and counts every stored byte', async () => {
    const cache = kvCache(memoryKv());
    await store(cache, 'https://huggingface.co', 'b/bert', { 'config.json': 100, 'model.safetensors': 5000 });
    await store(cache, '/hub', 'a/tiny', { 'vocab.txt': 300 });
    // An interrupted download: bytes stored, no manifest, so no model.
    await cache.put(cacheKey('/hub', 'c/partial', 'model.safetensors'), new Uint8Array(700));
    const r = await cacheReport(cache);
    expect(r.models).toEqual([
      { id: 'a/tiny', hub: '/hub', sizeBytes: 300 },
      { id: 'b/bert', hub: 'https://huggingface.co', sizeBytes: 5100 },
    ]);
    const manifests = (await cache.list()).filter((e) => e.key.endsWith('.json') && !e.key.endsWith('config.json'));
    const manifestBytes = manifests.reduce((s, e) => s + e.sizeBytes, 0);
    expect(manifests.length).toBe(2);
    expect(r.totalBytes).toBe(5100 + 300 + 700 + manifestBytes);
  });

  it('removes one model from every hub, refuses an unknown id, and clears everything', async () => {
    const cache = kvCache(memoryKv());
    await store(cache, '/hub', 'a/tiny', { 'vocab.txt': 300 });
    await store(cache, 'https://huggingface.co', 'a/tiny', { 'vocab.txt': 300 });
    await store(cache, '/hub', 'b/bert', { 'model.safetensors': 900 });
    const after = await clearModelCache(cache, 'a/tiny');
    expect(after.models).toEqual([{ id: 'b/bert', hub: '/hub', sizeBytes: 900 }]);
    expect((await cache.list()).some((e) => e.key.includes('a/tiny'))).toBe(false);
    await expect(clearModelCache(cache, 'x/none')).rejects.toThrow(/x\/none is not in the download cache/);
    expect(await clearModelCache(cache)).toEqual({ type: 'cache', models: [], totalBytes: 0 });
  });
});
