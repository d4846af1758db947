// Whole-folder import/export as .zip: a FileSource over an uploaded archive (with the guards of
// zip.ts) and a deterministic writer for exports (fflate's zipSync).
import { zipSync, type Zippable } from 'fflate';
import { checkRelativePath, makeSource, stripCommonTop, type FileSource } from './sources';
import { CheckpointError } from './types';
import { ZipReader, type ZipLimits } from './zip';

/**
 * A FileSource over a zipped model folder. A single top folder ("bert-base/…") is dropped so
 * names match HF's layout; macOS resource forks are ignored. CRCs are checked on every read.
 */
export function zipSource(bytes: Uint8Array, limits: ZipLimits = {}): FileSource {
  const zip = new ZipReader(bytes, { verifyStoredCrc: true, ...limits });
  const raw = zip.names().filter((n) => !n.startsWith('__MACOSX/') && !n.split('/').pop()!.startsWith('._'));
  const names = new Map<string, string>();
  stripCommonTop(raw).forEach((n, i) => names.set(n, raw[i]!));
  return makeSource(
    async (name) => {
      const entry = names.get(name);
      return entry === undefined ? null : zip.read(entry);
    },
    async () => [...names.keys()],
  );
}

export interface WriteZipOptions {
  /** Deflate level for every file; by default text-like files use 6, binaries are stored (weights barely compress). */
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
}

// Fixed timestamp so the same files always give the same bytes.
const MTIME = new Date(2020, 0, 1);
const TEXT_EXT = /\.(json|txt|md|csv|tsv|jsonl)$/i;

export function writeZip(files: { name: string; data: Uint8Array }[], options: WriteZipOptions = {}): Uint8Array {
  const tree: Zippable = Object.create(null) as Zippable; // names like __proto__ stay plain keys
  for (const { name, data } of files) {
    checkRelativePath(name, 'zip entry');
    if (Object.prototype.hasOwnProperty.call(tree, name)) throw new CheckpointError(`writeZip: duplicate file ${name}`);
    const level = options.level ?? (TEXT_EXT.test(name) ? 6 : 0);
    tree[name] = [data, { level, mtime: MTIME }];
  }
  try {
    return zipSync(tree, { mtime: MTIME });
  } catch (err) {
    throw new CheckpointError(`writeZip failed: ${(err as Error).message}`);
  }
}
