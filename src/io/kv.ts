// A tiny key-value interface over named stores, so the model library and the download cache can
// run on IndexedDB in the browser and on a Map in Node tests. The IndexedDB adapter stays thin
// (one transaction per call, errors passed through) and is exercised by the Playwright tests.

/** Values are structured-cloneable: plain records and Uint8Arrays. */
export type KvValue = unknown;

export interface KvStore {
  get(store: string, key: string): Promise<KvValue | undefined>;
  put(store: string, key: string, value: KvValue): Promise<void>;
  delete(store: string, key: string): Promise<void>;
  keys(store: string): Promise<string[]>;
}

export function memoryKv(): KvStore {
  const stores = new Map<string, Map<string, KvValue>>();
  const of = (store: string): Map<string, KvValue> => {
    let m = stores.get(store);
    if (!m) stores.set(store, (m = new Map()));
    return m;
  };
  // Copies byte arrays on the way in and out, as structured clone does in IndexedDB, so tests see
  // the same aliasing behaviour as the browser.
  const clone = (v: KvValue): KvValue => (v instanceof Uint8Array ? v.slice() : structuredClone(v));
  return {
    get: async (store, key) => {
      const v = of(store).get(key);
      return v === undefined ? undefined : clone(v);
    },
    put: async (store, key, value) => void of(store).set(key, clone(value)),
    delete: async (store, key) => void of(store).delete(key),
    keys: async (store) => [...of(store).keys()],
  };
}

function promisify<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** Resolves when the transaction commits; a quota failure surfaces here as QuotaExceededError. */
function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

/** Opens (creating when needed) a database with the given object stores (out-of-line string keys). */
export function indexedDbKv(dbName: string, storeNames: readonly string[], factory: IDBFactory = indexedDB): KvStore {
  let opened: Promise<IDBDatabase> | null = null;
  const db = (): Promise<IDBDatabase> =>
    (opened ??= new Promise((resolve, reject) => {
      const req = factory.open(dbName, 1);
      req.onupgradeneeded = () => {
        for (const name of storeNames)
          if (!req.result.objectStoreNames.contains(name)) req.result.createObjectStore(name);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error(`could not open IndexedDB database ${dbName}`));
      req.onblocked = () => reject(new Error(`IndexedDB database ${dbName} is blocked by another tab`));
    }));
  const run = async <T>(
    store: string,
    mode: IDBTransactionMode,
    op: (s: IDBObjectStore) => IDBRequest<T>,
  ): Promise<T> => {
    const tx = (await db()).transaction(store, mode);
    const [result] = await Promise.all([promisify(op(tx.objectStore(store))), done(tx)]);
    return result;
  };
  return {
    get: (store, key) => run(store, 'readonly', (s) => s.get(key)),
    put: async (store, key, value) => void (await run(store, 'readwrite', (s) => s.put(value, key))),
    delete: async (store, key) => void (await run(store, 'readwrite', (s) => s.delete(key))),
    keys: async (store) => (await run(store, 'readonly', (s) => s.getAllKeys())).map(String),
  };
}
