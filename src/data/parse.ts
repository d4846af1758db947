// parseTable: the one entry point for reading a dataset file. Reads a sample to detect the layout,
// then streams the rest through the matching reader. Anything it cannot read faithfully becomes a
// DataError with a code; anything it reads but the user should know about becomes a DataWarning.
import { RestartAsWindows1252, type Encoding, type EncodingChoice } from './decode';
import { DEFAULT_LIMITS, DelimitedParser, badRows, quoteError, type Limits, type Quoting } from './delimited';
import { detectLayout, type LayoutOptions, type TableFormat } from './detect';
import { DataError, describeRows, makeWarning, type DataWarning } from './errors';
import { cleanColumnNames } from './header';
import { JsonlReader, TextLineReader } from './lines';
import { textSource, type DataSource, type ProgressCallback, type TextSource } from './source';

export interface ParsedTable {
  columns: string[];
  /** Data rows (header excluded); every row has columns.length fields. Row n in messages is rows[n - 1]. */
  rows: string[][];
  format: TableFormat;
  delimiter: string | null;
  quoting: Quoting;
  encoding: Encoding;
  hasHeader: boolean;
  warnings: DataWarning[];
}

export interface ParseOptions extends LayoutOptions {
  limits?: Partial<Limits>;
  /** How bytes become text (default 'auto': UTF-8, else Windows-1252 with a warning). */
  encoding?: EncodingChoice;
}

const SAMPLE_CHARS = 512 * 1024;
const RETRY_CODES = new Set(['unbalanced-quotes', 'malformed-quotes', 'inconsistent-field-count', 'field-too-long']);

export async function parseTable(
  source: DataSource,
  opts: ParseOptions = {},
  onProgress?: ProgressCallback,
): Promise<ParsedTable> {
  const src = textSource(source, onProgress, opts.encoding ?? 'auto');
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  let cp1252: string | null = null;
  for (;;) {
    try {
      return await parseWithQuotingFallback(src, cp1252, opts, limits);
    } catch (e) {
      if (!(e instanceof RestartAsWindows1252) || cp1252 !== null) throw e;
      cp1252 = e.message;
    }
  }
}

/** If the detected quoting fails on the whole file, the other reading is tried before giving up. */
async function parseWithQuotingFallback(
  src: TextSource,
  cp1252: string | null,
  opts: ParseOptions,
  limits: Limits,
): Promise<ParsedTable> {
  const seen: { layout?: LayoutOptions } = {};
  try {
    return await parsePass(src, cp1252, opts, limits, seen);
  } catch (e) {
    const layout = seen.layout;
    if (!(e instanceof DataError) || !RETRY_CODES.has(e.code) || opts.quoting || !src.restartable || !layout?.quoting)
      throw e;
    const other: Quoting = layout.quoting === 'rfc4180' ? 'none' : 'rfc4180';
    let table: ParsedTable;
    try {
      table = await parsePass(src, cp1252, { ...opts, ...layout, quoting: other }, limits, {});
    } catch {
      throw e;
    }
    table.warnings.unshift(
      makeWarning(
        'quoting-fallback',
        `Reading the file with quoting "${layout.quoting}" failed (${e.message}). It reads cleanly with quoting "${other}", which was used; check a few rows.`,
        e.rows,
        e.count,
      ),
    );
    return table;
  }
}

async function parsePass(
  src: TextSource,
  cp1252: string | null,
  opts: ParseOptions,
  limits: Limits,
  seen: { layout?: LayoutOptions },
): Promise<ParsedTable> {
  const pass = src.open(cp1252);
  let sample = '';
  let done = false;
  while (sample.length < SAMPLE_CHARS) {
    const r = await pass.chunks.next();
    if (r.done) {
      done = true;
      break;
    }
    sample += r.value;
  }
  if (done && sample.trim() === '')
    throw new DataError('empty-file', 'The file is empty (or contains only whitespace).');
  const layout = detectLayout(sample, done, opts);
  if (layout.format === 'jsonl' && sample.trimStart().startsWith('[')) {
    throw new DataError(
      'unsupported-format',
      'This is a JSON array; only JSON Lines (one object per line) is supported. Convert it with e.g. jq -c ".[]".',
    );
  }
  seen.layout = {
    format: layout.format,
    delimiter: layout.delimiter ?? undefined,
    quoting: layout.quoting,
    hasHeader: layout.hasHeader,
  };
  const reader = makeReader(layout.format, layout.delimiter, layout.quoting, layout.hasHeader, limits);
  reader.push(sample);
  sample = '';
  for (let r = await pass.chunks.next(); !r.done; r = await pass.chunks.next()) reader.push(r.value);
  reader.end();
  const { columns, rows, warnings } = finishReader(reader, layout.delimiter);
  if (layout.ambiguity) warnings.unshift(makeWarning('ambiguous-quoting', layout.ambiguity));
  warnings.unshift(...pass.warnings());
  if (pass.replacements() > 0) warnings.unshift(replacementWarning(rows, pass.replacements()));
  return {
    columns,
    rows,
    format: layout.format,
    delimiter: layout.delimiter,
    quoting: layout.quoting,
    encoding: pass.encoding(),
    hasHeader: layout.hasHeader,
    warnings,
  };
}

/** UTF-8 forced on bytes that are not UTF-8: each bad sequence became U+FFFD; say how many and where. */
function replacementWarning(rows: string[][], count: number): DataWarning {
  const where: number[] = [];
  rows.forEach((r, i) => {
    if (r.some((cell) => cell.includes('\uFFFD'))) where.push(i + 1);
  });
  const inRows = where.length ? ` in ${where.length} row(s): ${describeRows(where, where.length)}` : ' (in the header)';
  return makeWarning(
    'utf-8-replacement',
    `${count} invalid UTF-8 byte sequence(s) were replaced by "\uFFFD"${inRows}. The file is probably Windows-1252 or Latin-1: choose that encoding.`,
    where,
    where.length,
  );
}

type Reader = DelimitedParser | JsonlReader | TextLineReader;

function makeReader(
  format: TableFormat,
  delimiter: string | null,
  quoting: Quoting,
  hasHeader: boolean,
  limits: Limits,
): Reader {
  if (format === 'jsonl') return new JsonlReader(limits);
  if (format === 'txt' || delimiter === null) return new TextLineReader(limits);
  return new DelimitedParser(delimiter, quoting, hasHeader, limits);
}

function finishReader(
  reader: Reader,
  delimiter: string | null,
): { columns: string[]; rows: string[][]; warnings: DataWarning[] } {
  const warnings: DataWarning[] = [];
  let columns: string[];
  let rows: string[][];
  if (reader instanceof JsonlReader) {
    const t = reader.table();
    columns = reader.columns;
    rows = t.rows;
    if (t.missing.count > 0)
      warnings.push(
        makeWarning(
          'missing-fields',
          `${t.missing.count} JSON line(s) lack some keys; those values are empty.`,
          t.missing.rows,
          t.missing.count,
        ),
      );
  } else if (reader instanceof TextLineReader) {
    columns = ['text'];
    rows = reader.rows;
  } else {
    ({ columns, rows } = delimitedTable(reader, delimiter ?? ',', warnings));
  }
  if (rows.length === 0) {
    if (reader instanceof DelimitedParser && reader.header) {
      throw new DataError('header-only', `The file has a header row (${reader.header.join(', ')}) but no data rows.`);
    }
    throw new DataError('empty-file', 'The file contains no data rows.');
  }
  if (reader.blankLines.count > 0) {
    warnings.push(
      makeWarning(
        'blank-lines-skipped',
        `${reader.blankLines.count} blank line(s) were skipped (they hold no example).`,
        [],
        reader.blankLines.count,
      ),
    );
  }
  return { columns, rows, warnings };
}

function delimitedTable(
  p: DelimitedParser,
  delimiter: string,
  warnings: DataWarning[],
): { columns: string[]; rows: string[][] } {
  if (p.quoteProblems.length > 0) throw quoteError(p.quoteProblems);
  let expected = p.header?.length ?? 0;
  if (!p.header) {
    let best = 0;
    for (const [count, n] of p.fieldCounts) if (n > best) [expected, best] = [count, n];
  }
  const bad = badRows(p.rows, expected);
  if (bad.count > 0) throw fieldCountError(p, bad.rows, bad.count, expected, delimiter);
  let columns: string[];
  if (p.header) {
    const { names, renamed } = cleanColumnNames(p.header);
    columns = names;
    if (renamed.length)
      warnings.push(
        makeWarning(
          'renamed-columns',
          `Empty or duplicate column names were renamed: ${renamed.join(', ')}.`,
          [],
          renamed.length,
        ),
      );
  } else {
    columns = Array.from({ length: expected }, (_, i) => `column_${i + 1}`);
  }
  if (p.c1Rows.count > 0) {
    warnings.push(
      makeWarning(
        'control-characters',
        `${p.c1Rows.count} row(s) contain C1 control characters (U+0080–U+009F), usually Windows-1252 punctuation saved wrongly. They are kept as they are.`,
        p.c1Rows.rows,
        p.c1Rows.count,
      ),
    );
  }
  return { columns, rows: p.rows };
}

function fieldCountError(
  p: DelimitedParser,
  rows: number[],
  count: number,
  expected: number,
  delimiter: string,
): DataError {
  const name = (d: string): string => (d === '\t' ? 'tab' : `"${d}"`);
  const others = [',', '\t', ';', '|'].filter((d) => d !== delimiter);
  const samples = rows.slice(0, 10).map((r) => (p.rows[r - 1] ?? []).join(delimiter));
  const mixed = others.find((d) => samples.filter((s) => s.split(d).length === expected).length * 2 >= samples.length);
  const first = rows[0]!;
  const got = p.rows[first - 1]?.length ?? 0;
  if (mixed) {
    return new DataError(
      'mixed-delimiters',
      `The file mixes delimiters: most rows use ${name(delimiter)} but ${count} row(s) use ${name(mixed)} (rows ${describeRows(rows, count)}).`,
      rows,
      count,
    );
  }
  return new DataError(
    'inconsistent-field-count',
    `Expected ${expected} fields per row (delimiter ${name(delimiter)}) but ${count} row(s) differ, e.g. row ${first} has ${got}: rows ${describeRows(rows, count)}.`,
    rows,
    count,
  );
}
