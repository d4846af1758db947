// zustand `persist` storage on the raw IndexedDB API. Values are stored by structured clone (no
// JSON), and writes are coalesced: training updates the store ~10 times a second, the disk needs
// far fewer writes. The database is the page's own, apart from the worker's model library.
import type { PersistStorage, StorageValue } from 'zustand/middleware';

const DB_NAME = 'bert-studio-project';
const STORE_NAME = 'kv';
const DB_VERSION = 1;

let dbPromise: Promise<IDBDatabase> | null = null;

function hasIndexedDb(): boolean {
  return typeof indexedDB !== 'undefined';
}

function openDb(): Promise<IDBDatabase> {
  dbPromise ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE_NAME)) req.result.createObjectStore(STORE_NAME);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
  return dbPromise;
}

async function run<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction(STORE_NAME, mode);
    const req = op(tx.objectStore(STORE_NAME));
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error ?? req.error ?? new Error('IndexedDB request failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/** Reads one value; undefined when absent or when IndexedDB is unavailable (private mode, Node). */
export async function idbGet<T>(key: string): Promise<T | undefined> {
  if (!hasIndexedDb()) return undefined;
  return (await run('readonly', (s) => s.get(key))) as T | undefined;
}

/** Writes one structured-cloneable value (plain data, File, Blob, typed arrays). */
export async function idbSet(key: string, value: unknown): Promise<void> {
  if (!hasIndexedDb()) return;
  await run('readwrite', (s) => s.put(value, key));
}

export async function idbDelete(key: string): Promise<void> {
  if (!hasIndexedDb()) return;
  await run('readwrite', (s) => s.delete(key));
}

/** Persist storage with writes coalesced for `delayMs`, and flushed when the page is hidden. */
export function createIdbStorage<S>(delayMs = 250): PersistStorage<S, Promise<void>> {
  const pending = new Map<string, StorageValue<S>>();
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = async (): Promise<void> => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    const batch = [...pending];
    pending.clear();
    for (const [key, value] of batch) {
      try {
        await idbSet(key, value);
      } catch (err) {
        // Losing one snapshot is not fatal (quota, private mode); the next write tries again.
        console.warn('could not save the project', err);
      }
    }
  };
  if (typeof addEventListener === 'function') {
    addEventListener('pagehide', () => void flush());
    addEventListener('visibilitychange', () => {
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') void flush();
    });
  }

  return {
    getItem: async (name) => {
      try {
        return (await idbGet<StorageValue<S>>(name)) ?? null;
      } catch {
        return null;
      }
    },
    setItem: async (name, value) => {
      pending.set(name, value);
      timer ??= setTimeout(() => void flush(), delayMs);
    },
    removeItem: async (name) => {
      pending.delete(name);
      await idbDelete(name);
    },
  };
}
