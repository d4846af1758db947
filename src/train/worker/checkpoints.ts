// Training checkpoints in the browser (IndexedDB; a Map in Node tests): the latest resumable
// TrainState of each run plus what is needed to rebuild the run (settings, labels, dataset
// identity, model descriptor, metrics history). Write-then-commit, as the model library does: the
// state goes in under a fresh key first, and only then does the run's record point at it, so a
// tab closed mid-write leaves the previous checkpoint in place and never a half-written one.
import { checkStorageQuota, indexedDbKv, QuotaError, type EstimateFn, type KvStore } from '../../io';
import type { TrainState } from '../loop';
import type { AdamWState } from '../optimizer';
import type { WeightSnapshot } from '../trainState';
import type { CheckpointInfo, DatasetIdentity, ModelDescriptor, ModelSource } from '../protocol';

const RUNS = 'runs';
const STATES = 'states';
export const CHECKPOINT_STORES = [RUNS, STATES] as const;

/** The run record: what the page is shown, plus the key of the committed state. */
interface RunRecord extends CheckpointInfo {
  stateKey: string;
}

export type CheckpointInput = Omit<CheckpointInfo, 'savedAt' | 'epoch' | 'batchInEpoch' | 'step' | 'sizeBytes'>;

export interface CheckpointStoreOptions {
  /** Storage estimate for the pre-write quota check; null skips it (default navigator.storage). */
  estimate?: EstimateFn | null;
  now?: () => number;
}

/**
 * What the store reads of a resumable state, whatever the task (TrainState for seq-cls / pair /
 * multi-label, TaskTrainState for token-cls / qa): the rest is stored as it is.
 */
export interface SavedState {
  epoch: number;
  batchInEpoch: number;
  globalStep: number;
  weights: WeightSnapshot;
  optimizer: AdamWState;
  best: { weights: WeightSnapshot } | null;
}

/** Bytes of the typed arrays in a state: weights, AdamW moments and the best weights. */
export function stateBytes(state: SavedState): number {
  let n = 0;
  for (const w of Object.values(state.weights)) n += w.byteLength;
  for (const p of Object.values(state.optimizer.params)) n += p.m.byteLength + p.v.byteLength;
  for (const w of Object.values(state.best?.weights ?? {})) n += w.byteLength;
  return n;
}

export class CheckpointStore {
  private seq = 0;
  /** State keys being written right now: a sweep must not take them for orphans. */
  private writing = new Set<string>();

  constructor(
    private readonly kv: KvStore,
    private readonly options: CheckpointStoreOptions = {},
  ) {}

  /** Saves `state` as the run's latest checkpoint; throws QuotaError when storage is full. */
  async save(input: CheckpointInput, state: SavedState): Promise<CheckpointInfo> {
    const sizeBytes = stateBytes(state);
    const savedAt = (this.options.now ?? Date.now)();
    const stateKey = `${input.runId}/${savedAt}-${++this.seq}`;
    const what = 'the training checkpoint';
    if (this.options.estimate !== null) await checkStorageQuota(sizeBytes, what, this.options.estimate);
    const previous = (await this.kv.get(RUNS, input.runId)) as RunRecord | undefined;
    const record: RunRecord = {
      ...input,
      savedAt,
      epoch: state.epoch,
      batchInEpoch: state.batchInEpoch,
      step: state.globalStep,
      sizeBytes,
      stateKey,
    };
    this.writing.add(stateKey);
    try {
      await this.kv.put(STATES, stateKey, state);
      await this.kv.put(RUNS, input.runId, record); // the commit
    } catch (err) {
      await this.kv.delete(STATES, stateKey).catch(() => undefined);
      throw explainQuota(err, sizeBytes);
    } finally {
      this.writing.delete(stateKey);
    }
    if (previous && previous.stateKey !== stateKey) await this.kv.delete(STATES, previous.stateKey);
    return info(record);
  }

  /** Committed checkpoints whose state is present, newest first. */
  async list(): Promise<CheckpointInfo[]> {
    const present = new Set(await this.kv.keys(STATES));
    const out: CheckpointInfo[] = [];
    for (const id of await this.kv.keys(RUNS)) {
      const r = (await this.kv.get(RUNS, id)) as RunRecord | undefined;
      if (r && present.has(r.stateKey)) out.push(info(r));
    }
    return out.sort((a, b) => b.savedAt - a.savedAt);
  }

  /** `S`: the state type the run's task saves (its settings.task says which; resume.ts checks it). */
  async load<S extends SavedState = TrainState>(runId: string): Promise<{ info: CheckpointInfo; state: S } | null> {
    const r = (await this.kv.get(RUNS, runId)) as RunRecord | undefined;
    if (!r) return null;
    const state = (await this.kv.get(STATES, r.stateKey)) as S | undefined;
    return state ? { info: info(r), state } : null;
  }

  /** Record first: once it is gone the checkpoint is not offered even if removing the state fails. */
  async delete(runId: string): Promise<void> {
    const r = (await this.kv.get(RUNS, runId)) as RunRecord | undefined;
    if (!r) return;
    await this.kv.delete(RUNS, runId);
    await this.kv.delete(STATES, r.stateKey);
  }

  /** Drops every run's checkpoint but `keep`'s: one resumable run at a time keeps storage small. */
  async deleteAllBut(keep: string): Promise<void> {
    for (const id of await this.kv.keys(RUNS)) if (id !== keep) await this.delete(id);
  }

  /** Removes states no record points at (a tab closed between the two writes of a save). */
  async sweep(): Promise<number> {
    const owned = new Set<string>();
    for (const id of await this.kv.keys(RUNS)) {
      const r = (await this.kv.get(RUNS, id)) as RunRecord | undefined;
      if (r) owned.add(r.stateKey);
    }
    let removed = 0;
    for (const key of await this.kv.keys(STATES)) {
      if (owned.has(key) || this.writing.has(key)) continue;
      await this.kv.delete(STATES, key);
      removed++;
    }
    return removed;
  }
}

/** IndexedDB's bare QuotaExceededError, in words. */
function explainQuota(err: unknown, bytes: number): unknown {
  if ((err as { name?: unknown } | null)?.name !== 'QuotaExceededError') return err;
  const mb = (bytes / 1e6).toFixed(1);
  return new QuotaError(`browser storage is full: could not save the training checkpoint (${mb} MB)`, bytes, null);
}

function info(r: RunRecord): CheckpointInfo {
  const { stateKey: _k, ...rest } = r;
  return rest;
}

/** The browser's checkpoints, in IndexedDB database "bert-studio-checkpoints". */
export function openCheckpointStore(options: CheckpointStoreOptions = {}): CheckpointStore {
  return new CheckpointStore(indexedDbKv('bert-studio-checkpoints', CHECKPOINT_STORES), options);
}

const HEAD_BYTES = 1 << 20;

/** Name, size and a hash of the first MB: tells the same file from another without reading it all. */
export async function datasetIdentity(file: File | { name: string; text: string }): Promise<DatasetIdentity> {
  if (file instanceof Blob) {
    const head = new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
    return { name: file.name, sizeBytes: file.size, headHash: headHash(head) };
  }
  const bytes = new TextEncoder().encode(file.text);
  return { name: file.name, sizeBytes: bytes.byteLength, headHash: headHash(bytes.subarray(0, HEAD_BYTES)) };
}

/** Two FNV-1a-style 32-bit hashes (64 bits): an identity check, not security. */
function headHash(bytes: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < bytes.length; i++) {
    a = Math.imul(a ^ bytes[i]!, 0x01000193);
    b = Math.imul(b ^ bytes[i]!, 0x5bd1e995);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

export function sameDataset(a: DatasetIdentity | null, b: DatasetIdentity | null): boolean {
  return !!a && !!b && a.name === b.name && a.sizeBytes === b.sizeBytes && a.headHash === b.headHash;
}

/** Picked files cannot be reopened after a reload; their names say which to pick again. */
export function describeModel(source: ModelSource): ModelDescriptor {
  switch (source.kind) {
    case 'hub':
      return { kind: 'hub', id: source.id, hub: source.hub };
    case 'library':
      return { kind: 'library', id: source.id };
    case 'files':
      return { kind: 'files', names: source.files.map((f) => f.webkitRelativePath || f.name) };
  }
}
