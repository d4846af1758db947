// FileSource over a folder on disk, for the CLI and tests. Kept out of index.ts so that browser
// bundles never import node:fs; import it by path.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { makeSource, type FileSource } from './sources';
import { CheckpointError } from './types';

export function nodeFolderSource(dir: string): FileSource {
  const root = path.resolve(dir);
  const resolve = (name: string): string => {
    const full = path.resolve(root, name);
    // Names come from index files inside the checkpoint, so they must not escape the folder.
    if (full !== root && !full.startsWith(root + path.sep)) {
      throw new CheckpointError(`file name ${JSON.stringify(name)} points outside ${root}`);
    }
    return full;
  };
  return makeSource(
    async (name) => {
      try {
        const buf = await readFile(resolve(name));
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } catch (err) {
        if (err instanceof CheckpointError) throw err;
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return null;
        throw new CheckpointError(`could not read ${path.join(root, name)}: ${(err as Error).message}`);
      }
    },
    async () => {
      try {
        return (await readdir(root, { recursive: true, withFileTypes: true }))
          .filter((d) => d.isFile())
          .map((d) =>
            path
              .relative(root, path.join(d.parentPath ?? d.path, d.name))
              .split(path.sep)
              .join('/'),
          );
      } catch (err) {
        throw new CheckpointError(`could not list ${root}: ${(err as Error).message}`);
      }
    },
  );
}
