// Browser storage quota checks (StorageManager.estimate()), so a download or a library save
// that cannot fit fails up front with a message saying how much is needed and how much is free,
// instead of a QuotaExceededError halfway through.
import { formatMB } from './fetchBody';

export type EstimateFn = () => Promise<{ quota?: number; usage?: number }>;

export class QuotaError extends Error {
  constructor(
    message: string,
    readonly neededBytes: number,
    readonly freeBytes: number | null,
  ) {
    super(message);
    this.name = 'QuotaError';
  }
}

// Keep a little room for the cache index, IndexedDB overhead and other writes in flight.
const HEADROOM_BYTES = 5_000_000;

function browserEstimate(): EstimateFn | null {
  const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
  return storage && typeof storage.estimate === 'function' ? () => storage.estimate() : null;
}

/** Throws QuotaError when `bytes` will not fit; does nothing when no estimate is available. */
export async function checkStorageQuota(
  bytes: number,
  what: string,
  estimate: EstimateFn | undefined = browserEstimate() ?? undefined,
): Promise<void> {
  if (!estimate) return;
  let e: { quota?: number; usage?: number };
  try {
    e = await estimate();
  } catch {
    return; // some browsers refuse estimate() in private mode; the write itself will still report
  }
  if (e.quota === undefined) return;
  const free = Math.max(e.quota - (e.usage ?? 0), 0);
  if (bytes + HEADROOM_BYTES > free) {
    throw new QuotaError(
      `${what} needs ${formatMB(bytes)} of browser storage but only ${formatMB(free)} is free ` +
        `(quota ${formatMB(e.quota)}, used ${formatMB(e.usage ?? 0)}). ` +
        'Delete models from the library or clear the download cache, then try again.',
      bytes,
      free,
    );
  }
}

/** Turns a raw QuotaExceededError from IndexedDB / Cache Storage into a QuotaError with a clear message. */
export function explainQuotaError(err: unknown, what: string, bytes: number): unknown {
  const name = (err as { name?: unknown } | null)?.name;
  if (name !== 'QuotaExceededError') return err;
  return new QuotaError(
    `browser storage is full: could not save ${what} (${formatMB(bytes)}). Delete models from the library or clear the download cache, then try again.`,
    bytes,
    null,
  );
}
