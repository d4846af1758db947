// The checkpoint store on the same KvStore interface IndexedDB implements: write-then-commit (a
// save interrupted between its two writes leaves the previous checkpoint offered and intact),
// one checkpoint per run, orphans swept, quota checked up front; dataset identity by content.
import { describe, expect, it } from 'vitest';
import { memoryKv, QuotaError, type KvStore } from '../../../src/io';
import type { TrainState } from '../../../src/train/loop';
import {
  CheckpointStore,
  datasetIdentity,
  sameDataset,
  stateBytes,
  type CheckpointInput,
} from '../../../src/train/worker/checkpoints';
import { SETTINGS } from './helpers';

function state(step: number, n = 6): TrainState {
  const w = Float32Array.from({ length: n }, (_, i) => step + i / 8);
  return {
    version: 1,
    seed: 11,
    globalStep: step,
    epoch: 1,
    batchInEpoch: 0,
    epochLossSum: 0,
    epochLossCount: 0,
    evalsWithoutImprovement: 0,
    weights: { 'classifier.weight': w },
    optimizer: { params: { 'classifier.weight': { step, m: w.map((x) => x / 2), v: w.map((x) => x * x) } } },
    best: null,
    history: [{ epoch: 1, trainLoss: 0.5, valid: null }],
  };
}

const input = (runId: string): CheckpointInput => ({
  runId,
  settings: SETTINGS,
  labels: ['ham', 'spam'],
  dataset: { name: 'a.csv', sizeBytes: 10, headHash: '00' },
  model: { kind: 'hub', id: 'tiny', hub: 'http://x/hub' },
  modelId: 'tiny',
  history: [],
});

/** A KvStore whose writes to one store fail once `armed` is set, like a tab closed mid-save. */
function failingKv(store: string): KvStore & { armed: boolean } {
  const kv = memoryKv();
  const out = {
    ...kv,
    armed: false,
    put: async (s: string, k: string, v: unknown) => {
      if (out.armed && s === store) throw new Error('tab closed');
      await kv.put(s, k, v);
    },
  };
  return out;
}

describe('checkpoint store', () => {
  it('keeps only the latest checkpoint of a run, restoring typed arrays exactly', async () => {
    const kv = memoryKv();
    const store = new CheckpointStore(kv, { estimate: null, now: () => 1000 });
    await store.save(input('r1'), state(4));
    const info = await store.save(input('r1'), state(8));
    expect(info).toMatchObject({ runId: 'r1', step: 8, epoch: 1, sizeBytes: 3 * 6 * 4 });
    expect(await kv.keys('states')).toHaveLength(1);
    const loaded = await store.load('r1');
    expect(loaded?.state.weights['classifier.weight']).toEqual(state(8).weights['classifier.weight']);
    expect(loaded?.state.optimizer.params['classifier.weight']?.v).toBeInstanceOf(Float32Array);
  });

  it('offers the previous checkpoint when a save dies before its commit, and sweeps the orphan', async () => {
    const kv = failingKv('runs');
    const store = new CheckpointStore(kv, { estimate: null });
    await store.save(input('r1'), state(4));
    kv.armed = true;
    await expect(store.save(input('r1'), state(8))).rejects.toThrow('tab closed');
    kv.armed = false;
    expect((await store.list()).map((c) => c.step)).toEqual([4]);
    expect((await store.load('r1'))?.state.globalStep).toBe(4);
    // A crash cannot run the catch block: leave an orphan state by hand, as a killed tab would.
    await kv.put('states', 'r1/999-9', state(12));
    expect(await store.sweep()).toBe(1);
    expect(await kv.keys('states')).toHaveLength(1);
  });

  it('does not offer a record whose state is missing, and deletes record first', async () => {
    const kv = memoryKv();
    const store = new CheckpointStore(kv, { estimate: null });
    await store.save(input('r1'), state(4));
    await store.save(input('r2'), state(5));
    for (const k of await kv.keys('states')) if (k.startsWith('r2/')) await kv.delete('states', k);
    expect((await store.list()).map((c) => c.runId)).toEqual(['r1']);
    expect(await store.load('r2')).toBeNull();
    await store.deleteAllBut('r1');
    expect(await kv.keys('runs')).toEqual(['r1']);
    await store.delete('r1');
    expect(await kv.keys('runs')).toEqual([]);
    expect(await kv.keys('states')).toEqual([]);
  });

  it('refuses up front when the quota cannot hold the checkpoint', async () => {
    const store = new CheckpointStore(memoryKv(), { estimate: async () => ({ quota: 6_000_000, usage: 1_000_000 }) });
    const big = state(1, 1_000_000);
    expect(stateBytes(big)).toBe(12_000_000);
    await expect(store.save(input('r1'), big)).rejects.toBeInstanceOf(QuotaError);
    await expect(store.save(input('r1'), big)).rejects.toThrow(/needs 12(\.0)? MB .* only 5(\.0)? MB is free/);
    expect(await store.list()).toEqual([]);
  });

  it('identifies a dataset by name, size and its first MB', async () => {
    const text = 'text,label\n' + 'hello,ham\n'.repeat(200_000); // 2 MB
    const a = await datasetIdentity({ name: 'd.csv', text });
    const asFile = await datasetIdentity(new File([text], 'd.csv'));
    expect(asFile).toEqual(a);
    expect(a.sizeBytes).toBe(2_000_011);
    expect(a.headHash).toMatch(/^[0-9a-f]{16}$/);
    const early = await datasetIdentity({ name: 'd.csv', text: text.replace('hello', 'hellO') });
    expect(sameDataset(a, early)).toBe(false);
    // Past the first MB only the size tells files apart; same size and head count as the same file.
    const late = await datasetIdentity({ name: 'd.csv', text: text + 'x' });
    expect(sameDataset(a, late)).toBe(false);
    const lateSameSize = await datasetIdentity({ name: 'd.csv', text: text.slice(0, -4) + 'hax\n' });
    expect(sameDataset(a, lateSameSize)).toBe(true);
    expect(sameDataset(a, { ...a, name: 'e.csv' })).toBe(false);
  });
});
