// Reads an HTTP response body chunk by chunk, reporting progress (bytes, rate, time left) and
// checking that exactly content-length bytes arrived: a connection dropped mid-file must be an
// error naming the file, never a silently truncated checkpoint.

export interface FileProgress {
  /** Bytes of this file received so far. */
  loaded: number;
  /** content-length of this file, or null when the server did not send one. */
  total: number | null;
  /** Average rate over this file so far. */
  bytesPerSecond: number;
  /** Estimated seconds to finish this file, or null when the total is unknown. */
  remainingSeconds: number | null;
}

export interface ReadBodyOptions {
  file: string;
  signal?: AbortSignal;
  intervalMs: number;
  /** Runs once the headers are in and before any body byte is read (quota check). */
  beforeBody?: (total: number | null) => Promise<void>;
  onProgress?: (p: FileProgress) => void;
  /** Builds the error thrown for a failed or truncated body. */
  fail: (message: string) => Error;
  now?: () => number;
}

export function abortError(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new DOMException('Download cancelled', 'AbortError');
}

/** content-length, unless the body is content-encoded (then the header counts compressed bytes). */
export function declaredLength(res: Response): number | null {
  if (res.headers.get('content-encoding')) return null;
  const v = res.headers.get('content-length');
  if (v === null || !/^\d+$/.test(v)) return null;
  return Number(v);
}

export const formatMB = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

export async function readBody(res: Response, o: ReadBodyOptions): Promise<Uint8Array> {
  const now = o.now ?? (() => performance.now());
  const total = declaredLength(res);
  try {
    await o.beforeBody?.(total);
  } catch (err) {
    await res.body?.cancel().catch(() => undefined);
    throw err;
  }
  const start = now();
  let loaded = 0;
  let lastEmit = -Infinity;
  const emit = (force: boolean): void => {
    const t = now();
    if (!o.onProgress || (!force && t - lastEmit < o.intervalMs)) return;
    lastEmit = t;
    const seconds = Math.max((t - start) / 1000, 1e-3);
    const rate = loaded / seconds;
    const remaining = total === null ? null : rate > 0 ? Math.max(total - loaded, 0) / rate : null;
    o.onProgress({ loaded, total, bytesPerSecond: rate, remainingSeconds: remaining });
  };
  const chunks: Uint8Array[] = [];
  emit(true);
  if (res.body) {
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.byteLength;
        if (total !== null && loaded > total) throw new Error(`received more than the announced ${total} bytes`);
        emit(false);
      }
    } catch (err) {
      if (o.signal?.aborted) throw abortError(o.signal);
      const of = total === null ? '' : ` of ${formatMB(total)}`;
      throw o.fail(`download of ${o.file} failed after ${formatMB(loaded)}${of}: ${(err as Error).message}`);
    } finally {
      reader.releaseLock();
    }
  }
  if (o.signal?.aborted) throw abortError(o.signal);
  if (total !== null && loaded !== total) {
    throw o.fail(`download of ${o.file} stopped early: ${loaded} of ${total} bytes arrived`);
  }
  emit(true);
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(loaded);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.byteLength;
  }
  return out;
}
