// Download cache for hub files, keyed by the file's URL. Cache Storage (`caches`) when the page
// has it, else IndexedDB, else memory (Node, tests). A manifest written after every file of a
// model is stored marks the model complete, so a later load can be served with no network at all
// (including knowing which optional files do not exist) and an interrupted download never looks
// cached.
import { hubFileUrl } from './catalog';
import { indexedDbKv, type KvStore } from './kv';

export interface CacheEntryInfo {
  key: string;
  sizeBytes: number;
}

export interface ModelCache {
  readonly kind: 'cache-storage' | 'indexeddb' | 'memory';
  get(key: string): Promise<Uint8Array | null>;
  put(key: string, data: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  list(): Promise<CacheEntryInfo[]>;
}

const CACHE_NAME = 'bert-studio-hub-v1';
// Cache Storage only takes http(s) URLs; a fixed fake origin keeps keys independent of the page's
// origin, so relative hub bases ("/hub") and absolute ones cache the same way.
const KEY_ORIGIN = 'https://cache.bert-studio.invalid/';

export function cacheStorageCache(storage: CacheStorage = caches, name: string = CACHE_NAME): ModelCache {
  const open = (): Promise<Cache> => storage.open(name);
  const toUrl = (key: string): string => KEY_ORIGIN + encodeURIComponent(key);
  return {
    kind: 'cache-storage',
    async get(key) {
      const res = await (await open()).match(toUrl(key));
      return res ? new Uint8Array(await res.arrayBuffer()) : null;
    },
    async put(key, data) {
      const headers = { 'content-type': 'application/octet-stream', 'content-length': String(data.byteLength) };
      // Downloaded bytes always sit on a plain ArrayBuffer (never a SharedArrayBuffer).
      await (await open()).put(toUrl(key), new Response(data as Uint8Array<ArrayBuffer>, { headers }));
    },
    async delete(key) {
      await (await open()).delete(toUrl(key));
    },
    async list() {
      const cache = await open();
      const out: CacheEntryInfo[] = [];
      for (const req of await cache.keys()) {
        if (!req.url.startsWith(KEY_ORIGIN)) continue;
        const res = await cache.match(req);
        const size = Number(res?.headers.get('content-length') ?? NaN);
        out.push({
          key: decodeURIComponent(req.url.slice(KEY_ORIGIN.length)),
          sizeBytes: Number.isFinite(size) ? size : 0,
        });
      }
      return out;
    },
  };
}

const FILES = 'files';
const SIZES = 'sizes';

/** A cache over the KvStore interface: IndexedDB in the browser, memoryKv() in tests. */
export function kvCache(kv: KvStore, kind: ModelCache['kind'] = 'memory'): ModelCache {
  return {
    kind,
    async get(key) {
      const v = await kv.get(FILES, key);
      return v instanceof Uint8Array ? v : null;
    },
    async put(key, data) {
      await kv.put(FILES, key, data);
      await kv.put(SIZES, key, data.byteLength);
    },
    async delete(key) {
      await kv.delete(SIZES, key);
      await kv.delete(FILES, key);
    },
    async list() {
      const out: CacheEntryInfo[] = [];
      for (const key of await kv.keys(SIZES)) out.push({ key, sizeBytes: Number(await kv.get(SIZES, key)) });
      return out;
    },
  };
}

/** The best cache this environment offers. */
export function defaultCache(): ModelCache {
  if (typeof caches !== 'undefined') return cacheStorageCache();
  if (typeof indexedDB !== 'undefined')
    return kvCache(indexedDbKv('bert-studio-hub-cache', [FILES, SIZES]), 'indexeddb');
  throw new Error('no browser cache available here (no Cache Storage, no IndexedDB); pass a cache explicitly');
}

// ---- model-level view -------------------------------------------------------------------------

const MANIFEST = '.bert-studio-manifest.json';

export interface CacheManifest {
  hub: string;
  id: string;
  /** Files stored in the cache, with their sizes. */
  files: { name: string; sizeBytes: number }[];
  /** Optional files the hub answered 404 for, so a cached load does not ask again. */
  missing: string[];
  savedAt: string;
}

export interface CachedModel extends CacheManifest {
  sizeBytes: number;
}

export const cacheKey = (hub: string, id: string, file: string): string => hubFileUrl(hub, id, file);
const manifestKey = (hub: string, id: string): string => cacheKey(hub, id, MANIFEST);

export async function readManifest(cache: ModelCache, hub: string, id: string): Promise<CacheManifest | null> {
  const bytes = await cache.get(manifestKey(hub, id));
  if (!bytes) return null;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as CacheManifest;
  } catch {
    return null; // a damaged manifest just means "not cached"
  }
}

/** Written last: a model is cached only once its manifest exists. */
export async function writeManifest(cache: ModelCache, m: CacheManifest): Promise<void> {
  await cache.put(manifestKey(m.hub, m.id), new TextEncoder().encode(JSON.stringify(m)));
}

/** Every completely cached model with its total size. */
export async function listCachedModels(cache: ModelCache): Promise<CachedModel[]> {
  const out: CachedModel[] = [];
  for (const { key } of await cache.list()) {
    if (!key.endsWith('/' + MANIFEST)) continue;
    const bytes = await cache.get(key);
    if (!bytes) continue;
    try {
      const m = JSON.parse(new TextDecoder().decode(bytes)) as CacheManifest;
      out.push({ ...m, sizeBytes: m.files.reduce((s, f) => s + f.sizeBytes, 0) });
    } catch {
      // skip damaged manifests; clearCache removes them
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

/** Total bytes held by the cache, complete models or not. */
export async function cacheUsageBytes(cache: ModelCache): Promise<number> {
  return (await cache.list()).reduce((s, e) => s + e.sizeBytes, 0);
}

/** Removes one model: manifest first, so a half-removed model never looks complete. */
export async function deleteCachedModel(cache: ModelCache, hub: string, id: string): Promise<void> {
  const prefix = cacheKey(hub, id, '');
  await cache.delete(manifestKey(hub, id));
  for (const { key } of await cache.list()) if (key.startsWith(prefix)) await cache.delete(key);
}

export async function clearCache(cache: ModelCache): Promise<void> {
  for (const { key } of await cache.list()) await cache.delete(key);
}
