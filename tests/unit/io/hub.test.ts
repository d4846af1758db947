import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCheckpoint, readSafetensors } from '../../../src/model/checkpoint';
import { memoryKv } from '../../../src/io/kv';
import {
  cacheUsageBytes,
  clearCache,
  deleteCachedModel,
  downloadModel,
  fetchLocalModels,
  kvCache,
  listCachedModels,
  type DownloadProgress,
  type ModelCache,
} from '../../../src/io';
import { startHubServer, type HubServer } from './hubServer';
import { sharedPath } from '../shared';

const SEQCLS = sharedPath('fixtures', 'bert-parity', 'bert-seqcls');
const size = (dir: string, f: string): number => fs.statSync(path.join(dir, f)).size;
const noQuota = { estimate: null } as const;

/** The error a promise rejects with; fails the test when it resolves. */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the promise to reject');
}

let hub: HubServer;
let binOnlyRoot: string;
beforeAll(async () => {
  // A model with only pytorch_model.bin, to exercise the weights fallback.
  binOnlyRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-bin-'));
  const dir = path.join(binOnlyRoot, 'acme', 'bin-only');
  fs.mkdirSync(dir, { recursive: true });
  for (const f of ['config.json', 'vocab.txt', 'pytorch_model.bin'])
    fs.copyFileSync(path.join(sharedPath('fixtures', 'bert-parity', 'bert-mlm'), f), path.join(dir, f));
  hub = await startHubServer({
    roots: [sharedPath('models'), sharedPath('fixtures', 'bert-parity'), binOnlyRoot],
    bytesPerSecond: 400_000,
  });
});
afterAll(async () => {
  await hub.close();
  fs.rmSync(binOnlyRoot, { recursive: true, force: true });
});

let cache: ModelCache;
beforeEach(() => {
  hub.mode = 'normal';
  hub.requests.length = 0;
  cache = kvCache(memoryKv());
});

describe('downloadModel', () => {
  it('downloads a model folder with monotonic progress that reaches each total', async () => {
    const events: DownloadProgress[] = [];
    const model = await downloadModel('bert-seqcls', {
      hub: hub.base,
      cache,
      ...noQuota,
      onProgress: (p) => events.push(p),
      progressIntervalMs: 0,
    });
    expect(model.files).toEqual([
      'config.json',
      'vocab.txt',
      'tokenizer_config.json',
      'special_tokens_map.json',
      'model.safetensors',
    ]);
    expect(model.weightsFile).toBe('model.safetensors');
    expect(model.fromCache).toBe(false);
    for (const f of model.files)
      expect(Buffer.compare(Buffer.from((await model.read(f))!), fs.readFileSync(path.join(SEQCLS, f)))).toBe(0);
    expect(await model.read('tokenizer.json')).toBeNull(); // 404 of an optional file is fine

    const weights = events.filter((e) => e.file === 'model.safetensors');
    expect(weights.length).toBeGreaterThan(2);
    for (let i = 1; i < weights.length; i++) expect(weights[i]!.loaded).toBeGreaterThanOrEqual(weights[i - 1]!.loaded);
    for (let i = 1; i < events.length; i++)
      expect(events[i]!.overallLoaded).toBeGreaterThanOrEqual(events[i - 1]!.overallLoaded);
    const last = weights[weights.length - 1]!;
    expect(last.loaded).toBe(size(SEQCLS, 'model.safetensors'));
    expect(last.total).toBe(last.loaded);
    expect(last.remainingSeconds).toBe(0);
    expect(events[events.length - 1]!.overallLoaded).toBe(model.sizeBytes);

    const ckpt = await loadCheckpoint(model);
    expect([...ckpt.weights.keys()]).toEqual([
      ...readSafetensors(fs.readFileSync(path.join(SEQCLS, 'model.safetensors'))).keys(),
    ]);
  });

  it('serves a second load from the cache with no requests', async () => {
    const first = await downloadModel('bert-seqcls', { hub: hub.base, cache, ...noQuota });
    expect(hub.requests.length).toBe(6); // config, 4 tokenizer files (one 404), weights
    hub.requests.length = 0;
    const events: DownloadProgress[] = [];
    const second = await downloadModel('bert-seqcls', {
      hub: hub.base,
      cache,
      ...noQuota,
      onProgress: (p) => events.push(p),
    });
    expect(hub.requests).toEqual([]);
    expect(second.fromCache).toBe(true);
    expect(second.files).toEqual(first.files);
    for (const f of first.files) expect(Buffer.compare((await second.read(f))!, (await first.read(f))!)).toBe(0);
    expect(events.every((e) => e.fromCache)).toBe(true);

    const listed = await listCachedModels(cache);
    expect(listed.map((m) => [m.id, m.sizeBytes, m.missing])).toEqual([
      ['bert-seqcls', first.sizeBytes, ['tokenizer.json']],
    ]);
    expect(await cacheUsageBytes(cache)).toBeGreaterThan(first.sizeBytes);
    await deleteCachedModel(cache, hub.base, 'bert-seqcls');
    expect(await cache.list()).toEqual([]);
  });

  it('falls back to pytorch_model.bin and supports org/name ids', async () => {
    const model = await downloadModel('acme/bin-only', { hub: hub.base, cache: null });
    expect(model.weightsFile).toBe('pytorch_model.bin');
    const ckpt = await loadCheckpoint(model);
    expect(ckpt.format).toBe('pytorch');
    expect(ckpt.weights.has('cls.predictions.bias')).toBe(true);
  });

  it('names the file and HTTP status when a model is missing', async () => {
    await expect(downloadModel('no-such-model', { hub: hub.base, cache })).rejects.toThrow(
      /no-such-model: config\.json failed with HTTP 404/,
    );
    await expect(downloadModel('bad id!', { hub: hub.base, cache })).rejects.toThrow(/invalid model id/);
    expect(await cache.list()).toEqual([]);
  });

  it('fails clearly when the connection drops mid-file, leaving nothing cached', async () => {
    hub.mode = 'fail-mid-file';
    const err = await rejection(downloadModel('bert-seqcls', { hub: hub.base, cache, ...noQuota }));
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('HubError');
    expect(err.message).toMatch(/bert-seqcls: download of model\.safetensors (failed after|stopped early)/);
    expect(await cache.list()).toEqual([]);
    // A good download afterwards still works.
    hub.mode = 'normal';
    expect((await downloadModel('bert-seqcls', { hub: hub.base, cache, ...noQuota })).fromCache).toBe(false);
  });

  it('cancels through an AbortSignal mid-download, leaving nothing cached', async () => {
    hub.mode = 'slow';
    const ctl = new AbortController();
    const events: DownloadProgress[] = [];
    const started = performance.now();
    const run = downloadModel('bert-seqcls', {
      hub: hub.base,
      cache,
      ...noQuota,
      signal: ctl.signal,
      progressIntervalMs: 0,
      onProgress: (p) => {
        events.push(p);
        if (p.file === 'model.safetensors' && p.loaded > 200_000) ctl.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(4000); // the whole file would take ~5 s
    const mid = events.filter((e) => e.file === 'model.safetensors' && e.loaded > 0);
    expect(mid.length).toBeGreaterThan(0);
    // Throttled to 400 kB/s: the rate estimate and time left must be in that ballpark.
    const last = mid[mid.length - 1]!;
    expect(last.bytesPerSecond).toBeGreaterThan(100_000);
    expect(last.bytesPerSecond).toBeLessThan(2_000_000);
    expect(last.remainingSeconds!).toBeGreaterThan(0.5);
    expect(await cache.list()).toEqual([]);
  });

  it('refuses up front when the weights will not fit in browser storage', async () => {
    const estimate = async (): Promise<{ quota: number; usage: number }> => ({ quota: 50_000_000, usage: 49_000_000 });
    const err = await rejection(downloadModel('studio-bert-tiny-mlm', { hub: hub.base, cache, estimate }));
    expect(err.name).toBe('QuotaError');
    expect(err.message).toMatch(/model\.safetensors needs 18 MB of browser storage but only 1\.0 MB is free/);
    expect(await cache.list()).toEqual([]);
    // Without a cache nothing is stored, so no quota applies.
    const model = await downloadModel('studio-bert-tiny-mlm', { hub: hub.base, cache: null, estimate });
    expect(model.sizeBytes).toBeGreaterThan(17_000_000);
  });

  it('reports, without failing the load, when the cache write hits the quota', async () => {
    const full: ModelCache = {
      ...cache,
      put: async (key, data) => {
        if (data.byteLength > 1_000_000) throw new DOMException('full', 'QuotaExceededError');
        return cache.put(key, data);
      },
    };
    const model = await downloadModel('bert-seqcls', { hub: hub.base, cache: full, ...noQuota });
    expect(model.cacheError).toMatch(/could not be cached: browser storage is full/);
    expect(await cache.list()).toEqual([]); // rolled back
    await clearCache(cache);
  });
});

describe('local hub server', () => {
  it('lists local models with their files, sizes and configs', async () => {
    const list = await fetchLocalModels(hub.base);
    const ids = list.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['studio-bert-tiny-mlm', 'bert-seqcls', 'bert-base', 'acme/bin-only']));
    expect(ids).not.toContain('vocab'); // no config.json: not a model
    const seq = list.find((m) => m.id === 'bert-seqcls')!;
    expect(seq.files).toContain('model.safetensors');
    expect(seq.sizeBytes).toBe(fs.readdirSync(SEQCLS).reduce((s, f) => s + size(SEQCLS, f), 0));
    expect(seq.config?.architectures).toEqual(['BertForSequenceClassification']);
  });

  it('supports Range, HEAD and sets CORP; refuses paths outside a model', async () => {
    const url = `${hub.base}/bert-seqcls/resolve/main/model.safetensors`;
    const file = fs.readFileSync(path.join(SEQCLS, 'model.safetensors'));
    const r = await fetch(url, { headers: { Range: 'bytes=0-7' } });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe(`bytes 0-7/${file.length}`);
    expect(r.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(Buffer.from(await r.arrayBuffer())).toEqual(file.subarray(0, 8));
    const tail = await fetch(url, { headers: { Range: 'bytes=-5' } });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(file.subarray(file.length - 5));
    expect((await fetch(url, { headers: { Range: `bytes=${file.length}-` } })).status).toBe(416);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(file.length));
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    for (const bad of [
      'bert-seqcls/resolve/main/..%2Fbert-qa%2Fconfig.json',
      '..%2Fmodels/resolve/main/README.md',
      'bert-seqcls/resolve/main/%2Fetc%2Fpasswd',
    ]) {
      expect((await fetch(`${hub.base}/${bad}`)).status).toBe(404);
    }
  });
});
