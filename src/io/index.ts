// Public API of io: hub downloads with cache, the IndexedDB model library, export. The Vite
// dev-server plugin (devModelServer.ts) is Node-only and imported by vite.config.ts directly.
export {
  CATALOG,
  DEFAULT_HUB,
  DEFAULT_REVISION,
  CONFIG_FILE,
  TOKENIZER_FILES,
  WEIGHT_FILES,
  catalogEntry,
  estimateParams,
  hubFileUrl,
  validateModelId,
  type CatalogEntry,
  type IdCheck,
  type ModelShape,
} from './catalog';
export {
  cacheStorageCache,
  kvCache,
  defaultCache,
  listCachedModels,
  cacheUsageBytes,
  deleteCachedModel,
  clearCache,
  type ModelCache,
  type CacheEntryInfo,
  type CachedModel,
  type CacheManifest,
} from './cache';
export {
  downloadModel,
  fetchLocalModels,
  HubError,
  type DownloadOptions,
  type DownloadProgress,
  type DownloadedModel,
  type LocalModelInfo,
} from './hub';
export type { FileProgress } from './fetchBody';
export { checkStorageQuota, QuotaError, type EstimateFn } from './quota';
export { memoryKv, indexedDbKv, type KvStore } from './kv';
export {
  ModelLibrary,
  openModelLibrary,
  LibraryError,
  type LibraryRecord,
  type LibraryFile,
  type LibraryModel,
  type SaveModelInput,
  type LibraryOptions,
} from './storage';
export {
  buildHfExport,
  zipHfExport,
  exportConfig,
  STUDIO_CONFIG_KEY,
  savedThreshold,
  type HfExportInput,
  type ExportFile,
} from './export';
export { buildModelCard, PIPELINE_TAGS, type ModelCardInput } from './modelCard';
