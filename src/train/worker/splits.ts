// Which rows train, which validate and which test: a seeded stratified share of the rows (test share
// optional), a split column (train / validation / test names), or separate validation and test files
// read with the training file's labels. Test rows are only evaluated once, after training.
import { buildLabels, stratifiedSplit, type ParsedTable } from '../../data';
import type { BertTokenizer } from '../../tokenizer';
import type { Example } from '../batches';
import { tableExamples, type TableColumns } from '../dataset';
import type { TrainSettings } from '../protocol';
import {
  columnParts,
  columnValues,
  rowList,
  testFraction,
  unseenLabelError,
  validationFile,
  type ExtraTables,
} from './splitParts';

export interface SplitExamples {
  train: Example[];
  valid: Example[];
  /** 1-based row of each validation example in the file it came from. */
  validRows: number[];
  texts: string[];
  pairs: string[] | null;
  /** The held-out test rows (empty without a test set). */
  test: Example[];
}

export interface SplitInput extends ExtraTables {
  /** The training table after dropped rows; examples[i] is its row i. */
  table: ParsedTable;
  examples: Example[];
  labels: string[];
  /** File row of table row i (rows were dropped), or null when they are the same. */
  kept: number[] | null;
  cols: TableColumns;
  tokenizer: BertTokenizer;
}

/** Training, validation and test examples from the training table by index lists. */
function pick(input: SplitInput, train: number[], valid: number[], test: number[]): SplitExamples {
  const { table, examples, kept, cols } = input;
  const texts = columnValues(table, cols.textColumn, 'text');
  const pairs = cols.textPairColumn ? columnValues(table, cols.textPairColumn, 'text pair') : null;
  return {
    train: train.map((i) => examples[i]!),
    valid: valid.map((i) => examples[i]!),
    validRows: valid.map((i) => (kept ? kept[i]! : i + 1)),
    texts: valid.map((i) => texts[i]!),
    pairs: pairs ? valid.map((i) => pairs[i]!) : null,
    test: test.map((i) => examples[i]!),
  };
}

/** Rows of a validation / test file whose label the training data never had, by label. */
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

/** A separate file's examples, read with the training labels; `what` names it in errors. */
function fileExamples(input: SplitInput, table: ParsedTable, s: TrainSettings, what: string): Example[] {
  const { cols, labels } = input;
  const unseen = unseenLabels(columnValues(table, cols.labelColumn, 'label'), labels, cols.multiLabel);
  if (unseen.size) throw unseenLabelError(what, unseen);
  const v = tableExamples(table, cols, input.tokenizer, s.maxLength, labels);
  if (v.skipped.length)
    throw new Error(`the ${what} has rows with no label (rows ${rowList(v.skipped)}): fix the file`);
  return v.examples;
}

function fromFiles(input: SplitInput, s: TrainSettings): SplitExamples {
  const vt = validationFile(input);
  const valid = fileExamples(input, vt, s, 'validation file');
  const test = input.testTable ? fileExamples(input, input.testTable, s, 'test file') : [];
  const { cols } = input;
  return {
    ...pick(
      input,
      input.examples.map((_, i) => i),
      [],
      [],
    ),
    valid,
    validRows: valid.map((_, i) => i + 1),
    texts: columnValues(vt, cols.textColumn, 'text'),
    pairs: cols.textPairColumn ? columnValues(vt, cols.textPairColumn, 'text pair') : null,
    test,
  };
}

/** Each example's label ids (one for single-label, the set ones for multi-label). */
function labelIds(e: Example): number[] {
  if (typeof e.label === 'number') return [e.label];
  return Array.from(e.label).flatMap((v, i) => (v ? [i] : []));
}

/** A label only validation or test rows have (split column, small random split) cannot be learned. */
function checkTrainHasEveryLabel(split: SplitExamples, labels: string[]): void {
  const seen = new Set(split.train.flatMap(labelIds));
  const missing = labels.filter((_, i) => !seen.has(i));
  if (missing.length === 0) return;
  throw new Error(
    `no training row has the ${missing.length === 1 ? 'label' : 'labels'} ${missing.map((l) => `"${l}"`).join(', ')} (only validation or test rows do); a model cannot learn a class it never sees`,
  );
}

/** The split `s.validationSplit` asks for (default: stratified by label, `s.validFraction`, seeded). */
export function splitExamples(input: SplitInput, s: TrainSettings): SplitExamples {
  const split = splitFor(input, s);
  checkTrainHasEveryLabel(split, input.labels);
  return split;
}

function splitFor(input: SplitInput, s: TrainSettings): SplitExamples {
  switch (s.validationSplit ?? 'fraction') {
    case 'column': {
      const parts = columnParts(input.table, s, input.kept);
      return pick(input, parts.train, parts.validation, parts.test);
    }
    case 'file':
      return fromFiles(input, s);
    case 'fraction': {
      const keys = input.examples.map((e) =>
        typeof e.label === 'number' ? String(e.label) : Array.from(e.label).join(''),
      );
      const split = stratifiedSplit(keys, { validation: s.validFraction, test: testFraction(s), seed: s.seed });
      return pick(input, split.train, split.validation, split.test);
    }
  }
}
