// Shared setup for the task runs: seeded row subsets of a shared table file, tokenised with the
// studio's MLM-pretrained BERT-Tiny.
import { readFile } from 'node:fs/promises';
import { parseTable, type ParsedTable } from '../../../src/data';
import { nodeFolderSource } from '../../../src/model/checkpoint/nodeSource';
import { mulberry32, shuffleInPlace } from '../../../src/lib/rng';
import { readTokenizer } from '../../../src/train/loadModel';
import type { BertTokenizer } from '../../../src/tokenizer';
import { sharedPath } from '../shared';

export const MODEL_DIR = sharedPath('models', 'studio-bert-tiny-mlm');

/** A table file under shared/data. */
export async function readShared(...parts: string[]): Promise<ParsedTable> {
  const bytes = new Uint8Array(await readFile(sharedPath('data', ...parts)));
  return parseTable(bytes, { fileName: parts[parts.length - 1]! });
}

/** Disjoint seeded random row subsets of `table`, of the given sizes, in that order. */
export function subsets(table: ParsedTable, sizes: number[], seed: number): ParsedTable[] {
  const order = shuffleInPlace(
    table.rows.map((_, i) => i),
    mulberry32(seed),
  );
  let at = 0;
  return sizes.map((size) => {
    const rows = order.slice(at, at + size).map((i) => table.rows[i]!);
    at += size;
    if (rows.length !== size) throw new Error(`table has only ${table.rows.length} rows`);
    return { ...table, rows };
  });
}

let tokenizer: BertTokenizer | undefined;
export async function tinyTokenizer(): Promise<BertTokenizer> {
  tokenizer ??= await readTokenizer(nodeFolderSource(MODEL_DIR));
  return tokenizer;
}
