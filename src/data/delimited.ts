// Incremental CSV/TSV reader. Text arrives in chunks; we cut it at row boundaries with a small
// RFC 4180 state machine (quotes only count at the start of a field, as in papaparse) and hand each
// block of whole rows to papaparse. With quoting 'none' a row is simply a line split on the delimiter.
import Papa from 'papaparse';
import { DataError, RowList, describeRows } from './errors';

export type Quoting = 'rfc4180' | 'none';

export interface Limits {
  maxFieldChars: number;
  maxColumns: number;
  maxJsonDepth: number;
}
export const DEFAULT_LIMITS: Limits = { maxFieldChars: 1_000_000, maxColumns: 10_000, maxJsonDepth: 64 };

const QUOTE = 34; // "
const NEWLINE = 10; // \n
const SPACE = 32;

// Cut-finder states
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const AFTER_QUOTE = 3;

export interface QuoteProblem {
  code: 'unbalanced-quotes' | 'malformed-quotes';
  row: number;
  line: number;
}

export class DelimitedParser {
  readonly rows: string[][] = [];
  header: string[] | null = null;
  readonly fieldCounts = new Map<number, number>();
  readonly blankLines = new RowList();
  readonly c1Rows = new RowList();
  readonly quoteProblems: QuoteProblem[] = [];
  private buf = '';
  private scanPos = 0;
  private state = FIELD_START;
  private cut = 0;
  private boundaries = 0; // row-ending newlines before `cut`
  private crBoundaries: number[] = []; // positions of '\r' that precede a row-ending newline
  private line = 1; // line number where `buf` starts
  private fields = 1; // fields so far in the row being scanned (delimiters outside quotes + 1)
  private readonly delimCode: number;

  constructor(
    readonly delimiter: string,
    readonly quoting: Quoting,
    private readonly hasHeader: boolean,
    private readonly limits: Limits,
  ) {
    this.delimCode = delimiter.charCodeAt(0);
  }

  push(text: string): void {
    this.buf += text;
    this.scan();
    if (this.cut > 0) {
      this.parseBlock(this.buf.slice(0, this.cut - 1));
      this.buf = this.buf.slice(this.cut);
      this.scanPos -= this.cut;
      this.cut = 0;
    }
    if (this.buf.length > this.limits.maxFieldChars + 1024) this.tooLong(this.rowCount() + 1, this.line);
  }

  /** `truncated`: the text stopped mid-file (a detection sample), so the unfinished last row is ignored. */
  end(truncated = false): void {
    if (!truncated && this.buf.length > 0) this.parseBlock(this.buf.endsWith('\n') ? this.buf.slice(0, -1) : this.buf);
    this.buf = '';
  }

  /** Text left over because no row boundary was found (a long quoted run in a sample). */
  get pendingChars(): number {
    return this.buf.length;
  }

  rowCount(): number {
    return this.rows.length;
  }

  private scan(): void {
    const b = this.buf;
    let s = this.state;
    const d = this.delimCode;
    const quoted = this.quoting !== 'none';
    for (let i = this.scanPos; i < b.length; i++) {
      const c = b.charCodeAt(i);
      if (s === QUOTED) {
        if (c === QUOTE) s = AFTER_QUOTE;
      } else if (c === NEWLINE) {
        if (this.fields > this.limits.maxColumns) this.tooManyColumns(true);
        this.fields = 1;
        s = FIELD_START;
        this.cut = i + 1;
        this.boundaries++;
        if (i > 0 && b.charCodeAt(i - 1) === 13) this.crBoundaries.push(i - 1);
      } else if (c === d) {
        s = FIELD_START;
        this.fields++;
      } else if (s === FIELD_START) s = c === QUOTE && quoted ? QUOTED : UNQUOTED;
      else if (s === AFTER_QUOTE)
        s = c === QUOTE || c === SPACE || c === 13 ? (c === QUOTE ? QUOTED : AFTER_QUOTE) : QUOTED;
    }
    this.state = s;
    this.scanPos = b.length;
    // A row still open at the end of the text already has too many fields: fail before buffering
    // the rest of it (a line of two million commas must not become two million strings).
    if (this.fields > this.limits.maxColumns) this.tooManyColumns(false);
  }

  /** Counted by the scanner, before papaparse or split() allocate one string per field. */
  private tooManyColumns(complete: boolean): never {
    // rows ended in the unparsed buffer count too; a header among them is not a data row
    const header = this.hasHeader && this.header === null && this.boundaries > 0 ? 1 : 0;
    const row = this.rowCount() + this.boundaries + 1 - header;
    const count = complete ? `${this.fields}` : `more than ${this.limits.maxColumns}`;
    throw new DataError(
      'too-many-columns',
      `Row ${row} has ${count} columns; the limit is ${this.limits.maxColumns}. Is the delimiter right?`,
      [row],
    );
  }

  private parseBlock(block: string): void {
    const startLine = this.line;
    let lines = 1;
    for (let i = block.indexOf('\n'); i >= 0; i = block.indexOf('\n', i + 1)) lines++;
    this.line += lines;
    if (this.quoting === 'none') {
      this.boundaries = 0;
      this.crBoundaries = [];
      for (const raw of block.split('\n')) {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        this.addRow(line.split(this.delimiter));
      }
      return;
    }
    const { text, newline } = this.normalizeNewlines(block);
    const res = Papa.parse<string[]>(text, {
      delimiter: this.delimiter,
      newline,
      quoteChar: '"',
      skipEmptyLines: false,
    });
    // a header row still to come in this block is not a data row
    const before = this.rowCount() - (this.hasHeader && this.header === null ? 1 : 0);
    for (const err of res.errors) {
      if (err.code !== 'MissingQuotes' && err.code !== 'InvalidQuotes') continue;
      const at = err.index ?? 0;
      let line = startLine;
      for (let i = block.indexOf('\n'); i >= 0 && i < at; i = block.indexOf('\n', i + 1)) line++;
      const code = err.code === 'MissingQuotes' ? 'unbalanced-quotes' : 'malformed-quotes';
      this.quoteProblems.push({ code, row: before + (err.row ?? 0) + 1, line });
    }
    for (const row of res.data) {
      // papaparse keeps a CR before a lone LF when the block mixes line endings
      const last = row[row.length - 1];
      if (newline === '\n' && last !== undefined && last.endsWith('\r')) row[row.length - 1] = last.slice(0, -1);
      this.addRow(row);
    }
  }

  /**
   * papaparse takes one newline style per call, but real files mix them (the SQuAD CSV has a few
   * CRLF rows among LF rows). Row-ending CRs are dropped when mixed; CRs inside quoted fields stay.
   */
  private normalizeNewlines(block: string): { text: string; newline: '\n' | '\r\n' } {
    // the block excludes its final newline, so count that boundary too
    const crs = this.crBoundaries;
    const total = this.boundaries;
    this.crBoundaries = [];
    this.boundaries = 0;
    if (crs.length === 0) return { text: block, newline: '\n' };
    if (crs.length === total) return { text: block.endsWith('\r') ? block.slice(0, -1) : block, newline: '\r\n' };
    const parts: string[] = [];
    let from = 0;
    for (const at of crs) {
      if (at >= block.length) break;
      parts.push(block.slice(from, at));
      from = at + 1;
    }
    parts.push(block.slice(from));
    return { text: parts.join(''), newline: '\n' };
  }

  private addRow(fields: string[]): void {
    if (fields.length === 1 && fields[0] === '') {
      this.blankLines.add(this.rowCount() + 1);
      return;
    }
    if (fields.length > this.limits.maxColumns) {
      throw new DataError(
        'too-many-columns',
        `Row ${this.rowCount() + 1} has ${fields.length} columns; the limit is ${this.limits.maxColumns}. Is the delimiter right?`,
        [this.rowCount() + 1],
      );
    }
    for (const f of fields) if (f.length > this.limits.maxFieldChars) this.tooLong(this.rowCount() + 1, null);
    if (this.hasHeader && this.header === null) {
      this.header = fields;
      return;
    }
    this.rows.push(fields);
    const n = this.rows.length;
    this.fieldCounts.set(fields.length, (this.fieldCounts.get(fields.length) ?? 0) + 1);
    for (const f of fields) {
      if (/[\u0080-\u009f]/.test(f)) {
        this.c1Rows.add(n);
        break;
      }
    }
  }

  private tooLong(row: number, line: number | null): never {
    const where = line === null ? `row ${row}` : `the row starting at line ${line}`;
    throw new DataError(
      'field-too-long',
      `A field in ${where} is longer than ${this.limits.maxFieldChars.toLocaleString('en-US')} characters. This usually means an unclosed quote or a wrong delimiter; otherwise split the text into smaller examples.`,
      [row],
    );
  }
}

/** Rows whose field count differs from `expected` (1-based). */
export function badRows(rows: string[][], expected: number): RowList {
  const out = new RowList();
  rows.forEach((r, i) => {
    if (r.length !== expected) out.add(i + 1);
  });
  return out;
}

export function quoteError(problems: QuoteProblem[]): DataError {
  const first = problems[0]!;
  const rows = [...new Set(problems.map((p) => p.row))];
  const what =
    first.code === 'unbalanced-quotes'
      ? 'an opening quote (") that is never closed'
      : 'a quoted field with text after its closing quote';
  return new DataError(
    first.code,
    `The file has ${what} at line ${first.line} (data row ${first.row}). ${rows.length > 1 ? `Rows with quote problems: ${describeRows(rows)}. ` : ''}Fix the quotes, or if quotes are ordinary text in this file, import it with quoting set to "none".`,
    rows,
  );
}
