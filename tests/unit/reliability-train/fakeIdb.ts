// Just enough of IndexedDB for src/store/idbStorage.ts in Node (open, one object store per
// transaction, get/put/delete), so the store's reload paths (the stored dataset file) run in tests.
type Stores = Map<string, Map<string, unknown>>;

interface FakeRequest {
  result?: unknown;
  onsuccess?: () => void;
  onupgradeneeded?: () => void;
}

function request(fn: () => unknown): FakeRequest {
  const req: FakeRequest = {};
  queueMicrotask(() => {
    req.result = fn();
    req.onsuccess?.();
  });
  return req;
}

function database(stores: Stores) {
  return {
    objectStoreNames: { contains: (n: string) => stores.has(n) },
    createObjectStore: (n: string) => void stores.set(n, new Map()),
    transaction: (name: string) => {
      const s = stores.get(name)!;
      const tx: { oncomplete?: () => void; objectStore: () => unknown } = {
        objectStore: () => ({
          get: (k: string) => request(() => s.get(k)),
          put: (v: unknown, k: string) => request(() => void s.set(k, v instanceof Blob ? v : structuredClone(v))),
          delete: (k: string) => request(() => void s.delete(k)),
        }),
      };
      setTimeout(() => tx.oncomplete?.(), 0); // after the request's microtask, as commit follows success
      return tx;
    },
  };
}

export function installFakeIndexedDb(): void {
  const dbs = new Map<string, Stores>();
  const open = (name: string): FakeRequest => {
    const req: FakeRequest = {};
    setTimeout(() => {
      const fresh = !dbs.has(name);
      if (fresh) dbs.set(name, new Map());
      req.result = database(dbs.get(name)!);
      if (fresh) req.onupgradeneeded?.();
      req.onsuccess?.();
    }, 0);
    return req;
  };
  Object.assign(globalThis, { indexedDB: { open } });
}
