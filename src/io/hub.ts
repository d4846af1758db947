// Downloads a model folder from the Hugging Face hub (or the dev server's local mirror at /hub)
// with progress, cancellation and a browser cache. Files are fetched in the order
// transformers' `from_pretrained` needs them: config.json, the tokenizer files, then
// model.safetensors or else pytorch_model.bin. Nothing is cached until every file is complete,
// so a failed or cancelled download leaves no trace in the cache.
import { makeSource, type FileSource } from '../model/checkpoint';
import { CONFIG_FILE, DEFAULT_HUB, TOKENIZER_FILES, WEIGHT_FILES, hubFileUrl, validateModelId } from './catalog';
import { cacheKey, defaultCache, readManifest, writeManifest, type ModelCache } from './cache';
import { abortError, readBody, type FileProgress } from './fetchBody';
import { checkStorageQuota, type EstimateFn } from './quota';

export class HubError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

export interface DownloadProgress extends FileProgress {
  id: string;
  file: string;
  /** Bytes of every file of this model received so far (cache hits included). */
  overallLoaded: number;
  fromCache: boolean;
}

export interface DownloadOptions {
  /** Hub base URL (default https://huggingface.co; the dev server mirrors local models at /hub). */
  hub?: string;
  /** Where files are kept between loads; null disables caching. Default: the browser's (defaultCache()), none in Node. */
  cache?: ModelCache | null;
  signal?: AbortSignal;
  onProgress?: (p: DownloadProgress) => void;
  fetch?: typeof fetch;
  /** Storage estimate for the quota check (default navigator.storage.estimate when present). */
  estimate?: EstimateFn | null;
  /** Minimum milliseconds between progress events within a file (default 100). */
  progressIntervalMs?: number;
}

export interface DownloadedModel extends FileSource {
  id: string;
  hub: string;
  /** Names of the files present, weights last. */
  files: string[];
  weightsFile: string;
  sizeBytes: number;
  fromCache: boolean;
  /** Set when the download worked but storing it in the cache failed (e.g. quota). */
  cacheError?: string;
}

const describeStatus = (status: number): string =>
  status === 401 || status === 403
    ? 'the model does not exist, is private, or is gated (needs a login on huggingface.co)'
    : status === 404
      ? 'not found'
      : status === 429
        ? 'rate-limited by the hub; try again in a minute'
        : 'the server refused';

function browserCache(): ModelCache | null {
  try {
    return defaultCache();
  } catch {
    return null; // Node without a cache: download every time
  }
}

export async function downloadModel(idInput: string, options: DownloadOptions = {}): Promise<DownloadedModel> {
  const hub = (options.hub ?? DEFAULT_HUB).replace(/\/+$/, '');
  const check = validateModelId(idInput, hub);
  if (!check.ok) throw new HubError(`invalid model id: ${check.error}`, '');
  const id = check.id;
  const cache = options.cache === undefined ? browserCache() : options.cache;
  if (cache) {
    const cached = await fromCache(cache, hub, id, options);
    if (cached) return cached;
  }
  return fromNetwork(hub, id, cache, options);
}

function toModel(
  hub: string,
  id: string,
  files: Map<string, Uint8Array>,
  weightsFile: string,
  cached: boolean,
): DownloadedModel {
  const source = makeSource(
    async (name) => files.get(name) ?? null,
    async () => [...files.keys()],
  );
  let size = 0;
  for (const b of files.values()) size += b.byteLength;
  return { ...source, id, hub, files: [...files.keys()], weightsFile, sizeBytes: size, fromCache: cached };
}

async function fromCache(
  cache: ModelCache,
  hub: string,
  id: string,
  options: DownloadOptions,
): Promise<DownloadedModel | null> {
  const manifest = await readManifest(cache, hub, id);
  if (!manifest) return null;
  const files = new Map<string, Uint8Array>();
  let overall = 0;
  for (const { name, sizeBytes } of manifest.files) {
    if (options.signal?.aborted) throw abortError(options.signal);
    const bytes = await cache.get(cacheKey(hub, id, name));
    // An evicted or damaged file: download the model again rather than return a broken one.
    if (!bytes || bytes.byteLength !== sizeBytes) return null;
    files.set(name, bytes);
    overall += bytes.byteLength;
    const total = bytes.byteLength;
    options.onProgress?.({
      id,
      file: name,
      loaded: total,
      total,
      overallLoaded: overall,
      bytesPerSecond: 0,
      remainingSeconds: 0,
      fromCache: true,
    });
  }
  const weightsFile = manifest.files.map((f) => f.name).find((n) => (WEIGHT_FILES as readonly string[]).includes(n));
  return weightsFile ? toModel(hub, id, files, weightsFile, true) : null;
}

async function fromNetwork(
  hub: string,
  id: string,
  cache: ModelCache | null,
  options: DownloadOptions,
): Promise<DownloadedModel> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const files = new Map<string, Uint8Array>();
  const missing: string[] = [];
  let overall = 0;
  const get = async (file: string, optional: boolean, isWeights: boolean): Promise<boolean> => {
    const url = hubFileUrl(hub, id, file);
    let res: Response;
    try {
      res = await doFetch(url, { signal: options.signal });
    } catch (err) {
      if (options.signal?.aborted) throw abortError(options.signal);
      throw new HubError(`${id}: could not reach ${url} for ${file}: ${(err as Error).message}`, file);
    }
    if (res.status === 404 && optional) {
      await res.body?.cancel();
      missing.push(file);
      return false;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new HubError(
        `${id}: ${file} failed with HTTP ${res.status} (${describeStatus(res.status)}) at ${url}`,
        file,
        res.status,
      );
    }
    const base = overall;
    const bytes = await readBody(res, {
      file,
      signal: options.signal,
      intervalMs: options.progressIntervalMs ?? 100,
      beforeBody: async (total) => {
        if (isWeights && cache && total !== null && options.estimate !== null) {
          // Everything is stored together at the end, so the small files count too.
          await checkStorageQuota(base + total, file, options.estimate ?? undefined);
        }
      },
      onProgress: (p) => options.onProgress?.({ ...p, id, file, overallLoaded: base + p.loaded, fromCache: false }),
      fail: (message) => new HubError(`${id}: ${message}`, file, res.status),
    });
    files.set(file, bytes);
    overall += bytes.byteLength;
    return true;
  };
  await get(CONFIG_FILE, false, false);
  for (const file of TOKENIZER_FILES) await get(file, true, false);
  let weightsFile: string | null = null;
  for (const file of WEIGHT_FILES) {
    // Each weight file may be absent; only having none of them is an error.
    if (await get(file, true, true)) {
      weightsFile = file;
      break;
    }
  }
  if (!weightsFile)
    throw new HubError(`${id}: no weights found on the hub (tried ${WEIGHT_FILES.join(', ')})`, WEIGHT_FILES[0], 404);
  const model = toModel(hub, id, files, weightsFile, false);
  if (cache) {
    const err = await store(cache, hub, id, files, missing);
    if (err) model.cacheError = err;
  }
  return model;
}

/** Writes every file, then the manifest; on failure removes what was written. */
async function store(
  cache: ModelCache,
  hub: string,
  id: string,
  files: Map<string, Uint8Array>,
  missing: string[],
): Promise<string | null> {
  const written: string[] = [];
  try {
    for (const [name, bytes] of files) {
      await cache.put(cacheKey(hub, id, name), bytes);
      written.push(name);
    }
    const list = [...files].map(([name, b]) => ({ name, sizeBytes: b.byteLength }));
    await writeManifest(cache, { hub, id, files: list, missing, savedAt: new Date().toISOString() });
    return null;
  } catch (err) {
    for (const name of written) await cache.delete(cacheKey(hub, id, name)).catch(() => undefined);
    const e = err as Error;
    const quota = e.name === 'QuotaExceededError';
    return `${id} was loaded but could not be cached${quota ? ': browser storage is full' : `: ${e.message}`}; it will be downloaded again next time`;
  }
}

export interface LocalModelInfo {
  id: string;
  files: string[];
  sizeBytes: number;
  config: Record<string, unknown> | null;
}

/** Models the dev/preview server mirrors from local folders (empty when the endpoint is absent). */
export async function fetchLocalModels(
  base = '/hub',
  doFetch: typeof fetch = globalThis.fetch.bind(globalThis),
): Promise<LocalModelInfo[]> {
  let res: Response;
  try {
    res = await doFetch(`${base.replace(/\/+$/, '')}/api/local-models`);
  } catch {
    return []; // no dev server (static hosting): only the online catalog applies
  }
  if (!res.ok) return [];
  const json: unknown = await res.json().catch(() => null);
  return Array.isArray(json) ? (json as LocalModelInfo[]) : [];
}
