import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTable, type ParsedTable, type ParseOptions } from '../../../src/data';
import { vi } from 'vitest';
import { inspect } from '../../../src/cli/inspect';
import { REPO_ROOT, sharedPath } from '../shared';

/** Runs the inspect CLI in this process: its exit code and what it wrote to stdout and stderr. */
export async function runInspect(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    return { code: await inspect(args), out, err };
  } finally {
    vi.restoreAllMocks();
  }
}

export const dataPath = (...p: string[]): string => sharedPath('data', ...p);
export const fixturePath = (name: string): string => path.join(REPO_ROOT, 'tests/fixtures/data', name);

/** Parse a file the way the CLI does: streamed from disk, name given for the extension hint. */
export function parseFile(file: string, opts: ParseOptions = {}): Promise<ParsedTable> {
  return parseTable(createReadStream(file), { fileName: file, ...opts });
}

export const readBytes = (file: string): Uint8Array<ArrayBuffer> => Uint8Array.from(readFileSync(file));

export function col(t: ParsedTable, name: string): string[] {
  const c = t.columns.indexOf(name);
  if (c < 0) throw new Error(`no column ${name} in ${t.columns.join(',')}`);
  return t.rows.map((r) => r[c]!);
}

export function tally(values: Iterable<string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
