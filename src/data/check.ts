// Dataset checks before training. Every finding is a warning with row numbers; nothing is removed
// unless the user asks for it with dropRows.
import type { ColumnMapping } from './columns';
import { DataError, RowList, makeWarning, type DataWarning } from './errors';
import { labelsFromIndicatorColumns, parseLabelCells } from './labels';
import type { ParsedTable } from './parse';

/** The columns a task uses, pulled out of a table. labels[i] is row i's label list ([] = missing). */
export interface DatasetRows {
  texts: string[];
  pairs?: string[];
  labels?: string[][];
}

function column(table: ParsedTable, name: string): string[] {
  const c = table.columns.indexOf(name);
  if (c < 0)
    throw new DataError('unknown-column', `There is no column named "${name}" (columns: ${table.columns.join(', ')}).`);
  return table.rows.map((r) => r[c] ?? '');
}

export function datasetRows(table: ParsedTable, mapping: ColumnMapping): DatasetRows {
  const out: DatasetRows = { texts: column(table, mapping.text) };
  if (mapping.textPair) out.pairs = column(table, mapping.textPair);
  if (mapping.labelColumns?.length) {
    const set = labelsFromIndicatorColumns(table.columns, table.rows, mapping.labelColumns);
    out.labels = set.rowLabels.map((ids) => ids.map((i) => set.id2label[i]!));
  } else if (mapping.label) {
    out.labels = parseLabelCells(column(table, mapping.label), mapping.multiLabel ?? false);
  }
  return out;
}

const rowKey = (d: DatasetRows, i: number): string => `${d.texts[i]}\u0000${d.pairs?.[i] ?? ''}`;

function pushIf(out: DataWarning[], list: RowList, code: string, message: string): void {
  if (list.count > 0) out.push(makeWarning(code, message.replace('{n}', String(list.count)), list.rows, list.count));
}

export function checkDataset(train: DatasetRows, validation?: DatasetRows): DataWarning[] {
  const out: DataWarning[] = [];
  const empty = new RowList();
  const missing = new RowList();
  const dup = new RowList();
  const conflict = new RowList();
  const firstSeen = new Map<string, { row: number; labels: string }>();
  const classes = new Map<string, number>();
  train.texts.forEach((t, i) => {
    if (t.trim() === '' && (train.pairs?.[i] ?? '').trim() === '') empty.add(i + 1);
    const labels = train.labels?.[i];
    if (labels && labels.length === 0) missing.add(i + 1);
    for (const l of labels ?? []) classes.set(l, (classes.get(l) ?? 0) + 1);
    const key = rowKey(train, i);
    const lab = (labels ?? []).join('\u0000');
    const prev = firstSeen.get(key);
    if (!prev) firstSeen.set(key, { row: i + 1, labels: lab });
    else if (prev.labels === lab) dup.add(i + 1);
    else conflict.add(i + 1);
  });
  pushIf(out, empty, 'empty-text', '{n} row(s) have an empty text.');
  pushIf(out, missing, 'missing-label', '{n} row(s) have no label; they cannot be used for training as they are.');
  pushIf(out, dup, 'duplicate-rows', '{n} row(s) repeat an earlier row exactly (same text and label).');
  pushIf(out, conflict, 'conflicting-labels', '{n} row(s) repeat an earlier text with a different label.');
  if (train.labels && classes.size === 1) {
    out.push(
      makeWarning(
        'single-class',
        `Every labelled row has the same label ("${[...classes.keys()][0]}"); a classifier needs at least two classes.`,
        [],
        train.texts.length,
      ),
    );
  }
  if (validation) checkValidation(train, validation, firstSeen, classes, out);
  return out;
}

function checkValidation(
  train: DatasetRows,
  val: DatasetRows,
  trainKeys: Map<string, unknown>,
  trainClasses: Map<string, number>,
  out: DataWarning[],
): void {
  const overlap = new RowList();
  const unseen = new RowList();
  const unseenNames = new Set<string>();
  val.texts.forEach((_, i) => {
    if (trainKeys.has(rowKey(val, i))) overlap.add(i + 1);
    const bad = (val.labels?.[i] ?? []).filter((l) => !trainClasses.has(l));
    if (train.labels && bad.length) {
      unseen.add(i + 1);
      for (const l of bad) unseenNames.add(l);
    }
  });
  pushIf(
    out,
    overlap,
    'train-validation-overlap',
    '{n} validation row(s) also occur in the training data (rows are validation row numbers); scores on them overstate accuracy.',
  );
  if (unseen.count > 0) {
    out.push(
      makeWarning(
        'unseen-validation-labels',
        `${unseen.count} validation row(s) use labels never seen in training: ${[...unseenNames].slice(0, 10).join(', ')} (rows are validation row numbers).`,
        unseen.rows,
        unseen.count,
      ),
    );
  }
}

/** A copy of the table without the given 1-based rows. Later row numbers shift down. */
export function dropRows(table: ParsedTable, rows: Iterable<number>): ParsedTable {
  const drop = new Set(rows);
  return { ...table, rows: table.rows.filter((_, i) => !drop.has(i + 1)), warnings: [...table.warnings] };
}

/** Every row number a warning refers to (the full list, not the capped one), for dropRows. */
export function rowsWith(data: DatasetRows, code: 'empty-text' | 'missing-label' | 'duplicate-rows'): number[] {
  const out: number[] = [];
  const seen = new Map<string, string>();
  data.texts.forEach((t, i) => {
    const labels = data.labels?.[i] ?? [];
    if (code === 'empty-text' && t.trim() === '' && (data.pairs?.[i] ?? '').trim() === '') out.push(i + 1);
    if (code === 'missing-label' && data.labels && labels.length === 0) out.push(i + 1);
    if (code === 'duplicate-rows') {
      const key = rowKey(data, i);
      const lab = labels.join('\u0000');
      if (seen.get(key) === lab) out.push(i + 1);
      else if (!seen.has(key)) seen.set(key, lab);
    }
  });
  return out;
}
