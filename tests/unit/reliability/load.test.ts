// Load: a ~200 MB CSV (real SMS Spam and SST-2 rows, repeated) streamed from disk through
// parseTable, the way the CLI reads files. Every row is kept (training needs them all), so memory
// grows with the file; the bound below is the measured peak plus headroom, not a guess.
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTable } from '../../../src/data';
import { sharedPath } from '../shared';

const TARGET_BYTES = 200 * 1024 * 1024;
// Measured on this machine (Node 20): 212 MB, 3.5 M rows, ~10 s, peak RSS ~1.37 GB. The bound leaves
// room for GC timing; a reader that copied the file several times over would cross it.
const MAX_PEAK_RSS = 2.5 * 1024 ** 3;

const dir = mkdtempSync(path.join(os.tmpdir(), 'bert-studio-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rowsOf(file: string): string[][] {
  const res = Papa.parse<string[]>(readFileSync(sharedPath('data', file), 'utf8'), { skipEmptyLines: true });
  return res.data.slice(1); // both files start with a text,label header
}

/** Writes header + the block repeated until the file reaches TARGET_BYTES; returns the row count. */
function writeBigCsv(file: string, block: string[][]): number {
  const text = Papa.unparse(block, { newline: '\n' }) + '\n';
  const repeats = Math.ceil(TARGET_BYTES / Buffer.byteLength(text));
  const chunk = Buffer.from(text);
  writeFileSync(file, 'text,label\n');
  const parts: Buffer[] = [];
  for (let i = 0; i < repeats; i++) parts.push(chunk);
  writeFileSync(file, Buffer.concat(parts), { flag: 'a' });
  return repeats * block.length;
}

describe('a 200 MB CSV', () => {
  it('streams from disk into every row with bounded memory and time', async () => {
    const block = [...rowsOf('sms_spam/sms_spam.csv'), ...rowsOf('sst2/sst2_train.csv')];
    const file = path.join(dir, 'big.csv');
    const expectedRows = writeBigCsv(file, block);
    const size = statSync(file).size;
    expect(size).toBeGreaterThanOrEqual(TARGET_BYTES);

    const rssBefore = process.memoryUsage().rss;
    let lastProgress = 0;
    const t0 = performance.now();
    const table = await parseTable(createReadStream(file), { fileName: file }, (p) => {
      lastProgress = p.bytesDone;
    });
    const seconds = (performance.now() - t0) / 1000;
    const peak = process.resourceUsage().maxRSS * 1024; // KiB -> bytes, whole-process peak
    const heap = process.memoryUsage().heapUsed;
    console.log(
      `load: ${(size / 1e6).toFixed(0)} MB, ${table.rows.length.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s ` +
        `(${(size / 1e6 / seconds).toFixed(0)} MB/s); RSS before ${(rssBefore / 1e6).toFixed(0)} MB, ` +
        `peak ${(peak / 1e6).toFixed(0)} MB, heap after ${(heap / 1e6).toFixed(0)} MB`,
    );

    expect([table.format, table.delimiter, table.quoting, table.hasHeader]).toEqual(['csv', ',', 'rfc4180', true]);
    expect(table.columns).toEqual(['text', 'label']);
    expect(table.rows.length).toBe(expectedRows);
    expect(lastProgress).toBe(size);
    // rows come back in file order, fields intact, including quoted commas and the last row
    expect(table.rows[0]).toEqual(block[0]);
    expect(table.rows[block.length]).toEqual(block[0]);
    expect(table.rows[expectedRows - 1]).toEqual(block.at(-1));
    expect(table.rows[3 * block.length + 123]).toEqual(block[123]);
    expect(peak).toBeLessThan(MAX_PEAK_RSS);
    rmSync(file);
  }, 90_000);
});
