import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createIdbStorage, type ProjectStores } from '../../../src/store/idbStorage';

type Value = { state: { n: number }; version: number };
const value = (n: number): Value => ({ state: { n }, version: 1 });

/** In-memory IndexedDB and localStorage; `hold` keeps IndexedDB writes from completing. */
function memoryStores() {
  const db = new Map<string, unknown>();
  const local = new Map<string, string>();
  const writes: number[] = [];
  let leave: () => void = () => undefined;
  let hold = false;
  let failNext = false;
  const stores: ProjectStores = {
    read: async (k) => db.get(k),
    write: (k, v) => {
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('QuotaExceededError'));
      }
      writes.push((v as Value).state.n);
      // A write the page unloads during never commits.
      return hold ? new Promise<void>(() => undefined) : Promise.resolve(void db.set(k, v));
    },
    remove: async (k) => void db.delete(k),
    backup: {
      getItem: (k) => local.get(k) ?? null,
      setItem: (k, v) => void local.set(k, v),
      removeItem: (k) => void local.delete(k),
    },
    onLeave: (fn) => (leave = fn),
  };
  return {
    stores,
    db,
    local,
    writes,
    leave: () => leave(),
    holdWrites: () => (hold = true),
    failNextWrite: () => (failNext = true),
  };
}

describe('project storage', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes a lone change at once, so a reload right after it loses nothing', async () => {
    const m = memoryStores();
    const storage = createIdbStorage<{ n: number }>(250, m.stores);
    await storage.setItem('p', value(1));
    expect(m.writes).toEqual([1]);
  });

  it('coalesces a burst (training updates ~10/s) into one write per window, the latest value last', async () => {
    const m = memoryStores();
    const storage = createIdbStorage<{ n: number }>(250, m.stores);
    for (let n = 1; n <= 10; n++) {
      await storage.setItem('p', value(n));
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(m.writes[0]).toBe(1);
    expect(m.writes.length).toBeLessThanOrEqual(1 + Math.ceil(1000 / 250));
    await vi.advanceTimersByTimeAsync(1000);
    expect(m.writes.at(-1)).toBe(10);
    // A quiet window ends the coalescing: the next lone change goes straight to disk again.
    const before = m.writes.length;
    await storage.setItem('p', value(11));
    expect(m.writes.slice(before)).toEqual([11]);
  });

  it('a change pending when the page unloads survives in localStorage and comes back first', async () => {
    const m = memoryStores();
    const storage = createIdbStorage<{ n: number }>(250, m.stores);
    await storage.setItem('p', value(1)); // written
    await storage.setItem('p', value(2)); // waits for the window
    m.holdWrites(); // the page unloads: IndexedDB never commits what it starts now
    m.leave();
    expect(m.db.get('p')).toEqual(value(1));
    expect(JSON.parse(m.local.get('p.unsaved')!)).toEqual(value(2));

    // The next page: the copy wins over IndexedDB's older snapshot, and moves into IndexedDB.
    const next = memoryStores();
    next.db.set('p', value(1));
    next.local.set('p.unsaved', m.local.get('p.unsaved')!);
    const reloaded = createIdbStorage<{ n: number }>(250, next.stores);
    expect(await reloaded.getItem('p')).toEqual(value(2));
    expect(next.db.get('p')).toEqual(value(2));
    expect(next.local.has('p.unsaved')).toBe(false);
  });

  it('a copy left by hiding the tab is dropped once IndexedDB has a newer write', async () => {
    const m = memoryStores();
    const storage = createIdbStorage<{ n: number }>(250, m.stores);
    await storage.setItem('p', value(1));
    await storage.setItem('p', value(2));
    m.leave(); // tab hidden: both the copy and the IndexedDB write
    await vi.advanceTimersByTimeAsync(0);
    expect(m.local.has('p.unsaved')).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    await storage.setItem('p', value(3));
    expect(await storage.getItem('p')).toEqual(value(3));
  });

  it('a failed write is reported and the next change is written', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const m = memoryStores();
    const storage = createIdbStorage<{ n: number }>(250, m.stores);
    m.failNextWrite();
    await storage.setItem('p', value(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(warn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(300);
    await storage.setItem('p', value(2));
    expect(m.db.get('p')).toEqual(value(2));
    warn.mockRestore();
  });
});
