// Label vocabularies with an explicit, reproducible order: numeric labels sort numerically
// ("2" before "10"), others by code point, so id2label never depends on row order.
import { isNumeric } from './header';

export interface LabelSet {
  /** id -> label name; the order is the model's output order. */
  id2label: string[];
  label2id: Record<string, number>;
  /** rows per label id (for multi-label: rows containing it). */
  counts: number[];
  /** per data row, its label ids; [] where the label is missing. */
  rowLabels: number[][];
  /** 1-based rows with no label. */
  missing: number[];
  multiLabel: boolean;
}

export interface BuildLabelsOptions {
  multiLabel?: boolean;
  /** Names for integer labels 0..n-1 (e.g. GoEmotions' emotions.txt); used when every label is such an integer. */
  names?: string[];
}

export function compareLabels(a: string, b: string): number {
  const na = isNumeric(a);
  const nb = isNumeric(b);
  if (na && nb) return Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const SEPARATORS = [';', '|', ','];

/** One cell of a multi-label column: `a,b`, `a;b`, `a|b` or a JSON array `["a","b"]`. */
export function splitLabelValue(value: string): string[] {
  const v = value.trim();
  if (v === '') return [];
  if (v.startsWith('[') && v.endsWith(']')) {
    try {
      const arr: unknown = JSON.parse(v);
      if (Array.isArray(arr)) return arr.map((x) => String(x).trim()).filter((x) => x !== '');
    } catch {
      // not JSON: fall through to separators
    }
  }
  const sep = SEPARATORS.find((s) => v.includes(s));
  return (sep ? v.split(sep) : [v]).map((x) => x.trim()).filter((x) => x !== '');
}

/** Parsed label lists per row (single-label rows hold one label, missing ones none). */
export function parseLabelCells(values: string[], multiLabel: boolean): string[][] {
  return values.map((v) => (multiLabel ? splitLabelValue(v) : v.trim() === '' ? [] : [v.trim()]));
}

export function buildLabels(values: string[], opts: BuildLabelsOptions = {}): LabelSet {
  return labelSetFromLists(parseLabelCells(values, opts.multiLabel ?? false), opts);
}

export function labelSetFromLists(lists: string[][], opts: BuildLabelsOptions = {}): LabelSet {
  const distinct = new Set<string>();
  for (const l of lists) for (const x of l) distinct.add(x);
  const names = opts.names;
  const useNames = names !== undefined && [...distinct].every((x) => /^\d+$/.test(x) && Number(x) < names.length);
  const rename = (x: string): string => (useNames ? names[Number(x)]! : x);
  const id2label = useNames ? [...names] : [...distinct].sort(compareLabels);
  const label2id: Record<string, number> = {};
  id2label.forEach((l, i) => (label2id[l] = i));
  const counts = new Array<number>(id2label.length).fill(0);
  const missing: number[] = [];
  const rowLabels = lists.map((l, r) => {
    if (l.length === 0) missing.push(r + 1);
    const ids = [...new Set(l.map((x) => label2id[rename(x)]!))];
    for (const id of ids) counts[id]!++;
    return ids;
  });
  return { id2label, label2id, counts, rowLabels, missing, multiLabel: opts.multiLabel ?? false };
}

/** Multi-label from several 0/1 columns (one per label, column name = label name, file order kept). */
export function labelsFromIndicatorColumns(columns: string[], rows: string[][], labelColumns: string[]): LabelSet {
  const idx = labelColumns.map((c) => columns.indexOf(c));
  const label2id: Record<string, number> = {};
  labelColumns.forEach((l, i) => (label2id[l] = i));
  const counts = new Array<number>(labelColumns.length).fill(0);
  const missing: number[] = [];
  const rowLabels = rows.map((r, n) => {
    const ids: number[] = [];
    idx.forEach((c, k) => {
      if (Number((r[c] ?? '').trim()) > 0) ids.push(k);
    });
    for (const id of ids) counts[id]!++;
    if (ids.length === 0) missing.push(n + 1);
    return ids;
  });
  return { id2label: [...labelColumns], label2id, counts, rowLabels, missing, multiLabel: true };
}

/** label -> count, in id order (JSON objects keep insertion order for non-integer keys). */
export function labelCounts(set: LabelSet): Record<string, number> {
  const out: Record<string, number> = {};
  set.id2label.forEach((l, i) => (out[l] = set.counts[i]!));
  return out;
}
