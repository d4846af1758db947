// Error and warning types for data import: every problem carries a stable code, a human message
// and the affected 1-based data row numbers, so the UI can show them and nothing is silently dropped.

/** How many row numbers a warning or error lists; `count` always holds the full total. */
export const MAX_LISTED_ROWS = 50;

export interface DataWarning {
  code: string;
  message: string;
  /** 1-based data row numbers (header not counted), at most MAX_LISTED_ROWS of them. */
  rows: number[];
  /** Total number of affected rows (or items), even when `rows` is capped. */
  count: number;
}

export class DataError extends Error {
  readonly code: string;
  readonly rows: number[];
  readonly count: number;
  constructor(code: string, message: string, rows: number[] = [], count = rows.length) {
    super(message);
    this.name = 'DataError';
    this.code = code;
    this.rows = rows.slice(0, MAX_LISTED_ROWS);
    this.count = count;
  }
}

export function makeWarning(code: string, message: string, rows: number[] = [], count = rows.length): DataWarning {
  return { code, message, rows: rows.slice(0, MAX_LISTED_ROWS), count };
}

/** "3, 17, 42 and 5 more" — for messages that name rows. */
export function describeRows(rows: number[], count = rows.length, shown = 10): string {
  const head = rows.slice(0, shown).join(', ');
  return count > shown ? `${head} and ${count - shown} more` : head;
}

/** Collects row numbers without growing past the listing cap, while still counting all of them. */
export class RowList {
  readonly rows: number[] = [];
  count = 0;
  add(row: number): void {
    this.count++;
    if (this.rows.length < MAX_LISTED_ROWS) this.rows.push(row);
  }
}
