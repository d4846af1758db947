// The model library: fine-tuned models kept in the browser (IndexedDB) across reloads. Each
// model is a small record plus its files stored separately under `<id>/<file>`. Save writes and
// read-back-verifies every file before it commits the record, and delete removes the record
// first, so a model in the library is either complete or absent: there is no half-saved state
// a reader can see.
import { makeSource, type FileSource } from '../model/checkpoint';
import { indexedDbKv, type KvStore } from './kv';
import { checkStorageQuota, explainQuotaError, type EstimateFn } from './quota';

export interface LibraryFile {
  name: string;
  sizeBytes: number;
}

export interface LibraryRecord {
  id: string;
  name: string;
  baseModel: string;
  task: string;
  labels: string[];
  metrics: Record<string, number>;
  createdAt: string;
  sizeBytes: number;
  files: LibraryFile[];
}

export interface SaveModelInput {
  name: string;
  baseModel: string;
  task: string;
  labels?: string[];
  metrics?: Record<string, number>;
  files: { name: string; data: Uint8Array }[];
}

export interface LibraryModel extends FileSource {
  record: LibraryRecord;
}

export class LibraryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LibraryError';
  }
}

const RECORDS = 'models';
const BLOBS = 'files';
export const LIBRARY_STORES = [RECORDS, BLOBS] as const;

const blobKey = (id: string, file: string): string => `${id}/${file}`;

function newId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return c?.randomUUID?.() ?? `m-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface LibraryOptions {
  /** Storage estimate for the pre-save quota check; null skips it (default navigator.storage.estimate). */
  estimate?: EstimateFn | null;
  now?: () => Date;
  makeId?: () => string;
}

export class ModelLibrary {
  constructor(
    private readonly kv: KvStore,
    private readonly options: LibraryOptions = {},
  ) {}

  async save(input: SaveModelInput): Promise<LibraryRecord> {
    const name = input.name.trim();
    if (!name) throw new LibraryError('a model needs a name');
    if (input.files.length === 0) throw new LibraryError(`model "${name}" has no files to save`);
    const names = new Set(input.files.map((f) => f.name));
    if (names.size !== input.files.length) throw new LibraryError(`model "${name}" lists a file twice`);
    const sizeBytes = input.files.reduce((s, f) => s + f.data.byteLength, 0);
    if (this.options.estimate !== null) await checkStorageQuota(sizeBytes, `saving "${name}"`, this.options.estimate);
    const id = (this.options.makeId ?? newId)();
    const written: string[] = [];
    try {
      for (const f of input.files) {
        const key = blobKey(id, f.name);
        written.push(key);
        await this.kv.put(BLOBS, key, f.data);
        const back = await this.kv.get(BLOBS, key);
        if (!(back instanceof Uint8Array) || !sameBytes(back, f.data)) {
          throw new LibraryError(`saving "${name}": ${f.name} did not read back identically`);
        }
      }
      const record: LibraryRecord = {
        id,
        name,
        baseModel: input.baseModel,
        task: input.task,
        labels: [...(input.labels ?? [])],
        metrics: { ...(input.metrics ?? {}) },
        createdAt: (this.options.now?.() ?? new Date()).toISOString(),
        sizeBytes,
        files: input.files.map((f) => ({ name: f.name, sizeBytes: f.data.byteLength })),
      };
      await this.kv.put(RECORDS, id, record);
      return record;
    } catch (err) {
      for (const key of written) await this.kv.delete(BLOBS, key).catch(() => undefined);
      throw explainQuotaError(err, `"${name}"`, sizeBytes);
    }
  }

  /** All models, newest first. */
  async list(): Promise<LibraryRecord[]> {
    const out: LibraryRecord[] = [];
    for (const id of await this.kv.keys(RECORDS)) {
      const r = await this.get(id);
      if (r) out.push(r);
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name));
  }

  async get(id: string): Promise<LibraryRecord | null> {
    const r = await this.kv.get(RECORDS, id);
    return r && typeof r === 'object' ? (r as LibraryRecord) : null;
  }

  /** A FileSource over the model's files (for loadCheckpoint and the tokenizer). */
  async load(id: string): Promise<LibraryModel> {
    const record = await this.get(id);
    if (!record) throw new LibraryError(`no model with id ${id} in the library`);
    const known = new Set(record.files.map((f) => f.name));
    const source = makeSource(
      async (name) => {
        if (!known.has(name)) return null;
        const v = await this.kv.get(BLOBS, blobKey(id, name));
        if (!(v instanceof Uint8Array))
          throw new LibraryError(`model "${record.name}": stored file ${name} is missing`);
        return v;
      },
      async () => [...known],
    );
    return { ...source, record };
  }

  async rename(id: string, name: string): Promise<LibraryRecord> {
    const record = await this.get(id);
    if (!record) throw new LibraryError(`no model with id ${id} in the library`);
    const trimmed = name.trim();
    if (!trimmed) throw new LibraryError('a model needs a name');
    const next = { ...record, name: trimmed };
    await this.kv.put(RECORDS, id, next);
    return next;
  }

  /** Record first: once it is gone the model is absent even if removing a file fails. */
  async delete(id: string): Promise<void> {
    const record = await this.get(id);
    if (!record) return;
    await this.kv.delete(RECORDS, id);
    for (const f of record.files) await this.kv.delete(BLOBS, blobKey(id, f.name));
  }

  /**
   * Removes files no record owns (left by a tab closed mid-save). Call once at startup, not while
   * a save may be running: an in-progress save's files have no record yet.
   */
  async sweepOrphans(): Promise<number> {
    const ids = new Set(await this.kv.keys(RECORDS));
    let removed = 0;
    for (const key of await this.kv.keys(BLOBS)) {
      if (!ids.has(key.slice(0, key.indexOf('/')))) {
        await this.kv.delete(BLOBS, key);
        removed++;
      }
    }
    return removed;
  }
}

/** The browser's library, in IndexedDB database "bert-studio-library". */
export function openModelLibrary(options: LibraryOptions = {}): ModelLibrary {
  return new ModelLibrary(indexedDbKv('bert-studio-library', LIBRARY_STORES), options);
}
