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

/** What createIdbStorage reads and writes; tests pass in-memory versions. */
export interface ProjectStores {
  read: (key: string) => Promise<unknown>;
  write: (key: string, value: unknown) => Promise<void>;
  remove: (key: string) => Promise<void>;
  /** Synchronous storage for the last snapshot when the page goes away (localStorage). */
  backup: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  /** Calls `leave` when the page is hidden or unloads. */
  onLeave: (leave: () => void) => void;
}

function onPageLeave(leave: () => void): void {
  if (typeof addEventListener !== 'function') return;
  addEventListener('pagehide', leave);
  addEventListener('visibilitychange', () => {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') leave();
  });
}

const defaultStores = (): ProjectStores => ({
  read: (k) => idbGet(k),
  write: idbSet,
  remove: idbDelete,
  backup: typeof localStorage !== 'undefined' ? localStorage : null,
  onLeave: onPageLeave,
});

/** Key of the synchronous copy of a snapshot that IndexedDB may not have finished writing. */
const unsavedKey = (name: string): string => `${name}.unsaved`;

/**
 * Persist storage with writes coalesced: the first change after a quiet spell is written at once
 * (a single edit, like a setting or the file encoding, is on disk before a reload can lose it),
 * later ones within `delayMs` are written together when it ends.
 *
 * When the page is hidden or unloads, what is pending is written to IndexedDB and, synchronously,
 * to localStorage as JSON: a transaction started while the page unloads may never commit (a reload
 * right after training finished lost the final report that way). The copy is removed once an
 * IndexedDB write completes, so one left behind is the newest state and getItem prefers it.
 */
export function createIdbStorage<S>(
  delayMs = 250,
  stores: ProjectStores = defaultStores(),
): PersistStorage<S, Promise<void>> {
  const pending = new Map<string, StorageValue<S>>();
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = async (): Promise<void> => {
    const batch = [...pending];
    pending.clear();
    for (const [key, value] of batch) {
      try {
        await stores.write(key, value);
        stores.backup?.removeItem(unsavedKey(key));
      } catch (err) {
        // Losing one snapshot is not fatal (quota, private mode); the next write tries again.
        console.warn('could not save the project', err);
      }
    }
  };
  const backUp = (): void => {
    for (const [key, value] of pending) {
      try {
        stores.backup?.setItem(unsavedKey(key), JSON.stringify(value));
      } catch {
        // Over localStorage's quota (a project with many long runs): IndexedDB may still commit.
      }
    }
  };
  stores.onLeave(() => {
    backUp();
    void flush();
  });
  // After a write, changes wait for the window to close; a window with none ends the coalescing.
  const openWindow = (): void => {
    timer = setTimeout(() => {
      timer = null;
      if (pending.size === 0) return;
      void flush();
      openWindow();
    }, delayMs);
  };
  return {
    getItem: async (name) => {
      try {
        const unsaved = stores.backup?.getItem(unsavedKey(name));
        if (unsaved) {
          const value = JSON.parse(unsaved) as StorageValue<S>;
          await stores.write(name, value);
          stores.backup?.removeItem(unsavedKey(name));
          return value;
        }
        return ((await stores.read(name)) as StorageValue<S> | undefined) ?? null;
      } catch {
        return null;
      }
    },
    setItem: async (name, value) => {
      pending.set(name, value);
      if (timer !== null) return;
      void flush();
      openWindow();
    },
    removeItem: async (name) => {
      pending.delete(name);
      stores.backup?.removeItem(unsavedKey(name));
      await stores.remove(name);
    },
  };
}
