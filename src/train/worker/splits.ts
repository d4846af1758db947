// Which rows train and which validate: a seeded stratified share of the rows, a split column
// (train / validation / test names; test rows are held out of both), or a separate validation file
// read with the training file's labels.
import { buildLabels, splitByColumn, stratifiedSplit, type ParsedTable } from '../../data';
import type { BertTokenizer } from '../../tokenizer';
import type { Example } from '../batches';
import { tableExamples, type TableColumns } from '../dataset';
import type { TrainSettings } from '../protocol';

export interface SplitExamples {
  train: Example[];
  valid: Example[];
  /** 1-based row of each validation example in the file it came from. */
  validRows: number[];
  texts: string[];
  pairs: string[] | null;
}

export interface SplitInput {
  /** The training table after dropped rows; examples[i] is its row i. */
  table: ParsedTable;
  examples: Example[];
  labels: string[];
  /** File row of table row i (rows were dropped), or null when they are the same. */
  kept: number[] | null;
  cols: TableColumns;
  tokenizer: BertTokenizer;
  /** The separate validation file, when one is loaded. */
  validTable: ParsedTable | null;
}

/** Cells of one column, or an error naming the columns there are. */
function column(table: ParsedTable, name: string, what: string): string[] {
  const i = table.columns.indexOf(name);
  if (i < 0) throw new Error(`${what} column "${name}" not found; the file has: ${table.columns.join(', ')}`);
  return table.rows.map((r) => r[i] ?? '');
}

function rowList(rows: number[]): string {
  return rows.slice(0, 10).join(', ') + (rows.length > 10 ? ', …' : '');
}

/** Training and validation examples from the training table by index lists. */
function pick(input: SplitInput, train: number[], valid: number[]): SplitExamples {
  const { table, examples, kept, cols } = input;
  const texts = column(table, cols.textColumn, 'text');
  const pairs = cols.textPairColumn ? column(table, cols.textPairColumn, 'text pair') : null;
  return {
    train: train.map((i) => examples[i]!),
    valid: valid.map((i) => examples[i]!),
    validRows: valid.map((i) => (kept ? kept[i]! : i + 1)),
    texts: valid.map((i) => texts[i]!),
    pairs: pairs ? valid.map((i) => pairs[i]!) : null,
  };
}

function byColumn(input: SplitInput, name: string | null | undefined): SplitExamples {
  if (!name) throw new Error('choose the split column in the Train step');
  const parts = splitByColumn(column(input.table, name, 'split'));
  if (parts.unknown.length) {
    const rows = parts.unknown.map((i) => (input.kept ? input.kept[i]! : i + 1));
    throw new Error(
      `the split column "${name}" has values other than train / validation / test in ${rows.length === 1 ? 'row' : 'rows'} ${rowList(rows)}`,
    );
  }
  if (parts.train.length === 0) throw new Error(`the split column "${name}" marks no row as train`);
  return pick(input, parts.train, parts.validation);
}

/** Rows of the validation file whose label the training data never had, by label. */
function unseenLabels(values: string[], labels: string[], multiLabel: boolean): Map<string, number[]> {
  const known = new Set(labels);
  const set = buildLabels(values, { multiLabel });
  const out = new Map<string, number[]>();
  set.rowLabels.forEach((ids, r) => {
    for (const id of ids) {
      const name = set.id2label[id]!;
      if (known.has(name)) continue;
      const rows = out.get(name) ?? [];
      rows.push(r + 1);
      out.set(name, rows);
    }
  });
  return out;
}

function fromFile(input: SplitInput, s: TrainSettings): SplitExamples {
  const vt = input.validTable;
  if (!vt) throw new Error('load a validation file in the Data step, or choose another validation split');
  const { cols, labels } = input;
  const unseen = unseenLabels(column(vt, cols.labelColumn, 'label'), labels, cols.multiLabel);
  if (unseen.size) {
    const list = [...unseen].map(([l, rows]) => `"${l}" (rows ${rowList(rows)})`).join(', ');
    throw new Error(
      `the validation file has ${unseen.size === 1 ? 'a label' : 'labels'} the training data does not: ${list}; a model cannot learn a class it never sees`,
    );
  }
  const v = tableExamples(vt, cols, input.tokenizer, s.maxLength, labels);
  if (v.skipped.length)
    throw new Error(`the validation file has rows with no label (rows ${rowList(v.skipped)}): fix the file`);
  const texts = column(vt, cols.textColumn, 'text');
  const pairs = cols.textPairColumn ? column(vt, cols.textPairColumn, 'text pair') : null;
  const all = input.examples.map((_, i) => i);
  return {
    ...pick(input, all, []),
    valid: v.examples,
    validRows: v.examples.map((_, i) => i + 1),
    texts,
    pairs,
  };
}

/** The split `s.validationSplit` asks for (default: stratified by label, `s.validFraction`, seeded). */
export function splitExamples(input: SplitInput, s: TrainSettings): SplitExamples {
  switch (s.validationSplit ?? 'fraction') {
    case 'column':
      return byColumn(input, s.splitColumn);
    case 'file':
      return fromFile(input, s);
    case 'fraction': {
      const keys = input.examples.map((e) =>
        typeof e.label === 'number' ? String(e.label) : Array.from(e.label).join(''),
      );
      const split = stratifiedSplit(keys, { validation: s.validFraction, seed: s.seed });
      return pick(input, split.train, split.validation);
    }
  }
}
