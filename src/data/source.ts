// Uniform access to what a user can hand us (a string, bytes, a File/Blob, or a stream of byte
// chunks) as a stream of decoded text, with progress in bytes. No DOM types are needed: a Blob is
// anything with `size` and `slice().arrayBuffer()`, which holds for browser Files and Node's Blob.
import { ChunkDecoder, type Encoding, type EncodingChoice } from './decode';
import type { DataWarning } from './errors';

export interface BlobLike {
  readonly size: number;
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
}
export type DataSource = string | Uint8Array | ArrayBuffer | BlobLike | AsyncIterable<Uint8Array>;

/** `bytesTotal` is null when unknown (a plain stream); string sources count UTF-16 code units. */
export interface ParseProgress {
  bytesDone: number;
  bytesTotal: number | null;
}
export type ProgressCallback = (p: ParseProgress) => void;

const CHUNK_BYTES = 4 * 1024 * 1024;
const STRING_CHUNK_CHARS = 1024 * 1024;

export interface TextSource {
  /** Whether the source can be read again from the start (needed for encoding/quoting retries). */
  restartable: boolean;
  /** Opens a fresh pass over the text. `windows1252` forces that encoding (restart after a failed UTF-8 pass). */
  open(windows1252: string | null): TextPass;
}

export interface TextPass {
  chunks: AsyncGenerator<string>;
  /** Valid once `chunks` is exhausted. */
  encoding(): Encoding;
  warnings(): DataWarning[];
  /** U+FFFD characters produced by a forced UTF-8 decoding (0 otherwise). */
  replacements(): number;
}

function isAsyncIterable(x: unknown): x is AsyncIterable<Uint8Array> {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}

/** `choice` decodes bytes as the user chose; a string source is text already and ignores it. */
export function textSource(
  source: DataSource,
  onProgress?: ProgressCallback,
  choice: EncodingChoice = 'auto',
): TextSource {
  if (typeof source === 'string') return stringSource(source, onProgress);
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    return byteSource(bytes.length, true, () => sliceBytes(bytes), onProgress, choice);
  }
  if (isAsyncIterable(source)) {
    let used = false;
    return byteSource(
      null,
      false,
      () => {
        if (used) throw new Error('a stream source can only be read once');
        used = true;
        return source;
      },
      onProgress,
      choice,
    );
  }
  const blob = source;
  return byteSource(blob.size, true, () => sliceBlob(blob), onProgress, choice);
}

function stringSource(text: string, onProgress?: ProgressCallback): TextSource {
  const bom = text.charCodeAt(0) === 0xfeff;
  const body = bom ? text.slice(1) : text;
  async function* chunks(): AsyncGenerator<string> {
    for (let i = 0; i < body.length; i += STRING_CHUNK_CHARS) {
      yield body.slice(i, i + STRING_CHUNK_CHARS);
      onProgress?.({
        bytesDone: Math.min(text.length, i + STRING_CHUNK_CHARS + (bom ? 1 : 0)),
        bytesTotal: text.length,
      });
    }
    if (body.length === 0) onProgress?.({ bytesDone: text.length, bytesTotal: text.length });
  }
  return {
    restartable: true,
    open: () => ({
      chunks: chunks(),
      encoding: () => (bom ? 'utf-8-bom' : 'utf-8'),
      warnings: () => [],
      replacements: () => 0,
    }),
  };
}

async function* sliceBytes(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += CHUNK_BYTES) yield bytes.subarray(i, i + CHUNK_BYTES);
}

async function* sliceBlob(blob: BlobLike): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < blob.size; i += CHUNK_BYTES) {
    yield new Uint8Array(await blob.slice(i, Math.min(blob.size, i + CHUNK_BYTES)).arrayBuffer());
  }
}

function byteSource(
  total: number | null,
  restartable: boolean,
  read: () => AsyncIterable<Uint8Array>,
  onProgress: ProgressCallback | undefined,
  choice: EncodingChoice,
): TextSource {
  return {
    restartable,
    open(windows1252) {
      const decoder = new ChunkDecoder(windows1252, restartable, choice);
      async function* chunks(): AsyncGenerator<string> {
        let done = 0;
        for await (const chunk of read()) {
          const text = decoder.push(chunk);
          done += chunk.length;
          onProgress?.({ bytesDone: done, bytesTotal: total });
          if (text) yield text;
        }
        const tail = decoder.end();
        if (done === 0) onProgress?.({ bytesDone: 0, bytesTotal: total });
        if (tail) yield tail;
      }
      return {
        chunks: chunks(),
        encoding: () => decoder.encoding,
        warnings: () => decoder.warnings,
        replacements: () => decoder.replacements,
      };
    },
  };
}
