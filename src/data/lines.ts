// Line-oriented readers: JSON Lines (one object per line) and plain text (one example per line).
import { DataError, RowList, describeRows } from './errors';
import type { Limits } from './delimited';

/** Deepest {…}/[…] nesting in a JSON text, counted without parsing (so hostile input cannot overflow a stack). */
export function jsonDepth(line: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash escapes the next char
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/**
 * Recursion past the stack's end: V8 throws RangeError, Firefox InternalError ("too much
 * recursion"). Reachable only when a caller raises maxJsonDepth far above the default.
 */
function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError || (e instanceof Error && e.name === 'InternalError');
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

abstract class LineReader {
  readonly blankLines = new RowList();
  protected line = 0;
  private buf = '';

  push(text: string): void {
    this.buf += text;
    const cut = this.buf.lastIndexOf('\n');
    if (cut >= 0) {
      const lines = this.buf.slice(0, cut).split('\n');
      this.buf = this.buf.slice(cut + 1);
      for (const l of lines) this.take(l);
    }
    // An endless line must fail here, not grow until the engine's string limit throws a RangeError.
    if (this.buf.length > this.maxLineChars() + 1) this.lineTooLong(this.line + 1);
  }

  end(): void {
    if (this.buf !== '') this.take(this.buf);
    this.buf = '';
    this.finish();
  }

  private take(raw: string): void {
    this.line++;
    const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (l.trim() === '') this.blankLines.add(this.line);
    else this.onLine(l);
  }

  protected abstract onLine(line: string): void;
  protected abstract maxLineChars(): number;
  protected abstract lineTooLong(line: number): never;
  protected finish(): void {}
}

export class TextLineReader extends LineReader {
  readonly rows: string[][] = [];
  constructor(private readonly limits: Limits) {
    super();
  }
  protected onLine(l: string): void {
    if (l.length > this.limits.maxFieldChars) this.lineTooLong(this.line);
    this.rows.push([l]);
  }
  protected maxLineChars(): number {
    return this.limits.maxFieldChars;
  }
  protected lineTooLong(line: number): never {
    throw new DataError(
      'field-too-long',
      `Line ${line} is longer than ${this.limits.maxFieldChars.toLocaleString('en-US')} characters; split it into smaller examples.`,
      [this.rows.length + 1],
    );
  }
}

export class JsonlReader extends LineReader {
  readonly columns: string[] = [];
  readonly records: Map<string, string>[] = [];
  private readonly invalid = new RowList();
  private readonly notObject = new RowList();
  private firstProblem = '';
  constructor(private readonly limits: Limits) {
    super();
  }

  /** A record holds a few capped text fields plus JSON syntax; sixteen capped fields is far beyond any real one. */
  protected maxLineChars(): number {
    return 16 * this.limits.maxFieldChars;
  }
  protected lineTooLong(line: number): never {
    throw new DataError(
      'field-too-long',
      `Line ${line} is longer than ${this.maxLineChars().toLocaleString('en-US')} characters; one JSON line should hold one example.`,
      [line],
    );
  }

  private tooDeep(overflow = false): DataError {
    const how = overflow ? 'too deeply to read' : `more than ${this.limits.maxJsonDepth} levels deep`;
    return new DataError(
      'json-too-deep',
      `Line ${this.line} nests objects/arrays ${how}; flatten the data to one object per line with text and label fields.`,
      [this.line],
    );
  }

  protected onLine(l: string): void {
    if (jsonDepth(l) > this.limits.maxJsonDepth) throw this.tooDeep();
    let value: unknown;
    try {
      value = JSON.parse(l);
    } catch (e) {
      if (isStackOverflow(e)) throw this.tooDeep(true);
      this.invalid.add(this.line);
      if (!this.firstProblem) this.firstProblem = e instanceof Error ? e.message : String(e);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.notObject.add(this.line);
      return;
    }
    const rec = new Map<string, string>();
    for (const [k, v] of Object.entries(value)) {
      if (!rec.has(k) && !this.columns.includes(k)) {
        this.columns.push(k);
        if (this.columns.length > this.limits.maxColumns)
          throw new DataError(
            'too-many-columns',
            `The JSON objects have more than ${this.limits.maxColumns} distinct keys.`,
          );
      }
      let text: string;
      try {
        text = cellText(v);
      } catch (e) {
        if (isStackOverflow(e)) throw this.tooDeep(true); // JSON.stringify recurses on nested values
        throw e;
      }
      if (text.length > this.limits.maxFieldChars)
        throw new DataError(
          'field-too-long',
          `A value on line ${this.line} is longer than ${this.limits.maxFieldChars.toLocaleString('en-US')} characters.`,
          [this.line],
        );
      rec.set(k, text);
    }
    this.records.push(rec);
  }

  protected override finish(): void {
    if (this.invalid.count > 0) {
      throw new DataError(
        'invalid-json',
        `${this.invalid.count} line(s) are not valid JSON: lines ${describeRows(this.invalid.rows, this.invalid.count)} (first error: ${this.firstProblem}). Each line must be one JSON object.`,
        this.invalid.rows,
        this.invalid.count,
      );
    }
    if (this.notObject.count > 0) {
      throw new DataError(
        'jsonl-not-object',
        `${this.notObject.count} line(s) hold JSON that is not an object (lines ${describeRows(this.notObject.rows, this.notObject.count)}). Each line must be an object such as {"text": "...", "label": "..."}.`,
        this.notObject.rows,
        this.notObject.count,
      );
    }
  }

  /** Rows in column order; rows lacking a key get '' and are reported. */
  table(): { rows: string[][]; missing: RowList } {
    const missing = new RowList();
    const rows = this.records.map((rec, i) => {
      if (rec.size < this.columns.length) missing.add(i + 1);
      return this.columns.map((c) => rec.get(c) ?? '');
    });
    return { rows, missing };
  }
}
