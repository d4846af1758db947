// Where checkpoint files come from: an in-memory map, files the user picked in the browser, a
// URL base (the hub's `<base>/<id>/resolve/main/<file>` layout) or a zip (zipFiles.ts). The
// Node folder source lives in nodeSource.ts so browser bundles never pull in node:fs.
import { CheckpointError } from './types';

export interface FileSource {
  /** File names relative to the model folder, when the source can enumerate them. */
  list?(): Promise<string[]>;
  /** File contents, or null when the file does not exist. Other failures throw CheckpointError. */
  read(name: string): Promise<Uint8Array | null>;
  readText(name: string): Promise<string | null>;
}

/** Builds a FileSource from a byte reader; readText decodes UTF-8. */
export function makeSource(
  read: (name: string) => Promise<Uint8Array | null>,
  list?: () => Promise<string[]>,
): FileSource {
  const source: FileSource = {
    read,
    async readText(name) {
      const bytes = await read(name);
      return bytes === null ? null : new TextDecoder().decode(bytes);
    },
  };
  if (list) source.list = list;
  return source;
}

export function memorySource(files: Map<string, Uint8Array> | Record<string, Uint8Array>): FileSource {
  const map = files instanceof Map ? files : new Map(Object.entries(files));
  return makeSource(
    async (name) => map.get(name) ?? null,
    async () => [...map.keys()],
  );
}

/** What a browser <input type=file> (optionally with webkitdirectory) or a drop hands us. */
export interface PickedFile {
  name: string;
  webkitRelativePath?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Files picked in the browser. With a folder pick every path starts with the folder's own name
 * ("bert-base/config.json"); that common top folder is dropped so names match HF's layout.
 */
export function fileListSource(files: Iterable<PickedFile>): FileSource {
  const all = [...files];
  const paths = all.map((f) => (f.webkitRelativePath || f.name).replace(/\\/g, '/'));
  const stripped = stripCommonTop(paths);
  const byName = new Map<string, PickedFile>();
  all.forEach((f, i) => byName.set(stripped[i]!, f));
  const byBase = new Map<string, PickedFile | null>();
  for (const [path, f] of byName) {
    const base = path.slice(path.lastIndexOf('/') + 1);
    byBase.set(base, byBase.has(base) ? null : f); // null marks an ambiguous basename
  }
  return makeSource(
    async (name) => {
      const f = byName.get(name) ?? byBase.get(name);
      if (!f) return null;
      try {
        return new Uint8Array(await f.arrayBuffer());
      } catch (err) {
        throw new CheckpointError(`could not read ${name}: ${(err as Error).message}`);
      }
    },
    async () => [...byName.keys()],
  );
}

/** Drops a leading folder shared by every path ("model/a.json", "model/b.bin" -> "a.json", "b.bin"). */
export function stripCommonTop(paths: string[]): string[] {
  if (paths.length === 0) return paths;
  const tops = new Set(paths.map((p) => (p.includes('/') ? p.slice(0, p.indexOf('/')) : '')));
  if (tops.size !== 1 || tops.has('')) return paths;
  const top = [...tops][0]!;
  return paths.map((p) => p.slice(top.length + 1));
}

export interface UrlSourceOptions {
  fetch?: typeof fetch;
  init?: RequestInit;
}

/** Reads `base/name` over HTTP; 404 means "no such file", any other failure is an error. */
export function urlSource(base: string, options: UrlSourceOptions = {}): FileSource {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const root = base.replace(/\/+$/, '');
  return makeSource(async (name) => {
    const url = `${root}/${name.split('/').map(encodeURIComponent).join('/')}`;
    let res: Response;
    try {
      res = await doFetch(url, options.init);
    } catch (err) {
      throw new CheckpointError(`could not fetch ${url}: ${(err as Error).message}`);
    }
    if (res.status === 404) return null;
    if (!res.ok) throw new CheckpointError(`GET ${url} failed: HTTP ${res.status} ${res.statusText}`);
    try {
      return new Uint8Array(await res.arrayBuffer());
    } catch (err) {
      throw new CheckpointError(`download of ${url} failed: ${(err as Error).message}`);
    }
  });
}

/** Refuses names that could escape a folder or base URL (zip-slip, `../` in an index file). */
export function checkRelativePath(name: string, what = 'file'): void {
  const bad =
    name.length === 0 ||
    name.includes('\0') ||
    /^[/\\]/.test(name) ||
    /^[A-Za-z][\w+.-]*:/.test(name) ||
    name.split(/[/\\]/).some((seg) => seg === '..');
  if (bad) throw new CheckpointError(`${what} name ${JSON.stringify(name)} is not a safe relative path`);
}
