// The split settings every task shares: a split column's train / validation / test rows (unknown
// values name their rows), the separate validation and test files, and the test share of a random
// split. Classification (splits.ts) and token-cls / qa (taskSplits.ts) build on these.
import { splitByColumn, type ParsedTable, type SplitResult } from '../../data';
import type { TrainSettings } from '../protocol';

/** Cells of one column, or an error naming the columns there are. */
export function columnValues(table: ParsedTable, name: string, what: string): string[] {
  const i = table.columns.indexOf(name);
  if (i < 0) throw new Error(`${what} column "${name}" not found; the file has: ${table.columns.join(', ')}`);
  return table.rows.map((r) => r[i] ?? '');
}

export function rowList(rows: readonly number[]): string {
  return rows.slice(0, 10).join(', ') + (rows.length > 10 ? ', …' : '');
}

/** The test share of a random split: 0 unless set, and an error when it leaves nothing to train on. */
export function testFraction(s: TrainSettings): number {
  const t = s.testFraction ?? 0;
  if (!(t >= 0 && t < 1) || t + s.validFraction >= 1)
    throw new Error(
      `the test fraction (${t}) and validation fraction (${s.validFraction}) must be at least 0 and leave rows to train on`,
    );
  return t;
}

/**
 * Table row indices of each part by the split column `s.splitColumn`. `kept[i]` is the file row of
 * table row i (rows were dropped), for the message naming rows with other values.
 */
export function columnParts(table: ParsedTable, s: TrainSettings, kept: readonly number[] | null): SplitResult {
  const name = s.splitColumn;
  if (!name) throw new Error('choose the split column in the Train step');
  const parts = splitByColumn(columnValues(table, name, 'split'));
  if (parts.unknown.length) {
    const rows = parts.unknown.map((i) => (kept ? kept[i]! : i + 1));
    throw new Error(
      `the split column "${name}" has values other than train / validation / test in ${rows.length === 1 ? 'row' : 'rows'} ${rowList(rows)}`,
    );
  }
  if (parts.train.length === 0) throw new Error(`the split column "${name}" marks no row as train`);
  return { train: parts.train, validation: parts.validation, test: parts.test };
}

/** The rows `rows` of `table` as a table of their own (same columns and layout facts). */
export function subTable(table: ParsedTable, rows: readonly number[]): ParsedTable {
  return { ...table, rows: rows.map((i) => table.rows[i]!), warnings: [] };
}

/** The separate files a 'file' split reads: validation is required, test optional. */
export interface ExtraTables {
  validTable: ParsedTable | null;
  testTable?: ParsedTable | null;
}

export function validationFile(files: ExtraTables): ParsedTable {
  if (!files.validTable) throw new Error('load a validation file in the Data step, or choose another validation split');
  return files.validTable;
}

/** Named labels seen in a validation / test file but not in training, as one error message. */
export function unseenLabelError(what: string, unseen: Map<string, number[]>): Error {
  const list = [...unseen].map(([l, rows]) => `"${l}" (rows ${rowList(rows)})`).join(', ');
  return new Error(
    `the ${what} has ${unseen.size === 1 ? 'a label' : 'labels'} the training data does not: ${list}; a model cannot learn a class it never sees`,
  );
}
