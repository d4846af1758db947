// The hub download cache as the Model step shows it: cached models with their sizes and the
// total usage (partial downloads included), and removing one model or everything.
import { cacheUsageBytes, clearCache, deleteCachedModel, listCachedModels, type ModelCache } from '../../io';
import type { FromWorker } from '../protocol';

export type CacheReport = Extract<FromWorker, { type: 'cache' }>;

export async function cacheReport(cache: ModelCache): Promise<CacheReport> {
  const models = (await listCachedModels(cache)).map((m) => ({ id: m.id, hub: m.hub, sizeBytes: m.sizeBytes }));
  return { type: 'cache', models, totalBytes: await cacheUsageBytes(cache) };
}

/** Removes model `id` (from every hub it was downloaded from), or the whole cache without an id. */
export async function clearModelCache(cache: ModelCache, id?: string): Promise<CacheReport> {
  if (id === undefined) await clearCache(cache);
  else {
    const matches = (await listCachedModels(cache)).filter((m) => m.id === id);
    if (matches.length === 0) throw new Error(`the model ${id} is not in the download cache`);
    for (const m of matches) await deleteCachedModel(cache, m.hub, m.id);
  }
  return cacheReport(cache);
}
