// A parsed table -> tokenised training examples: labels via the data folder's buildLabels (stable
// label order), texts (or text pairs) through the model's tokenizer with truncation to maxLength.
import { buildLabels, type ParsedTable } from '../data';
import type { BertTokenizer } from '../tokenizer';
import type { Example } from './batches';

export interface TableColumns {
  textColumn: string;
  textPairColumn?: string;
  labelColumn: string;
  multiLabel: boolean;
}

export interface TableExamples {
  examples: Example[];
  /** id -> label name. */
  labels: string[];
  /** 1-based data rows skipped because their label cell was empty. */
  skipped: number[];
}

function columnIndex(table: ParsedTable, name: string, what: string): number {
  const i = table.columns.indexOf(name);
  if (i < 0) throw new Error(`${what} column "${name}" not found; the file has: ${table.columns.join(', ')}`);
  return i;
}

/**
 * `fixedLabels` (a trained model's id2label) pins the label order; a row whose label the model
 * does not know is an error, since its metrics would be meaningless.
 */
export function tableExamples(
  table: ParsedTable,
  cols: TableColumns,
  tokenizer: BertTokenizer,
  maxLength: number,
  fixedLabels?: string[],
): TableExamples {
  const ti = columnIndex(table, cols.textColumn, 'text');
  const pi = cols.textPairColumn ? columnIndex(table, cols.textPairColumn, 'text pair') : -1;
  const li = columnIndex(table, cols.labelColumn, 'label');
  const set = buildLabels(
    table.rows.map((r) => r[li] ?? ''),
    { multiLabel: cols.multiLabel },
  );
  const labels = fixedLabels ?? set.id2label;
  const idOf = new Map(labels.map((l, i) => [l, i]));
  const examples: Example[] = [];
  const skipped: number[] = [];
  table.rows.forEach((row, r) => {
    const ids = set.rowLabels[r] ?? [];
    if (ids.length === 0 && !cols.multiLabel) {
      skipped.push(r + 1);
      return;
    }
    const mapped = ids.map((id) => {
      const name = set.id2label[id]!;
      const m = idOf.get(name);
      if (m === undefined)
        throw new Error(
          `row ${r + 1} has label "${name}", which the model does not know (its labels: ${labels.join(', ')})`,
        );
      return m;
    });
    const enc = tokenizer.encode(row[ti] ?? '', pi >= 0 ? (row[pi] ?? '') : null, { maxLength, truncation: true });
    const label = cols.multiLabel ? labels.map((_, c) => (mapped.includes(c) ? 1 : 0)) : mapped[0]!;
    examples.push({ inputIds: enc.inputIds, tokenTypeIds: enc.tokenTypeIds, label });
  });
  return { examples, labels, skipped };
}
