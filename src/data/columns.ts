// Which column is the text, which the label? Names first (text/sentence/review…, label/class…),
// then content: the longest column is the text, a low-cardinality one the label.
import { LABEL_NAMES, PAIR_NAMES, TEXT_NAMES, isNumeric, normalizeName } from './header';
import type { ParsedTable } from './parse';

export type DataTask =
  'classification' | 'multi-label' | 'sentence-pair' | 'token-classification' | 'question-answering';

export interface ColumnMapping {
  text: string;
  textPair?: string;
  label?: string;
  /** Multi-label as several 0/1 columns. */
  labelColumns?: string[];
  multiLabel?: boolean;
}

export interface ColumnGuess extends ColumnMapping {
  multiLabel: boolean;
  /** Why each choice was made, for the UI. */
  reasons: string[];
}

const SAMPLE_ROWS = 2000;

interface Profile {
  name: string;
  avgLen: number;
  distinct: number;
  numericShare: number;
  binary: boolean;
  sepShare: number;
}

function profile(table: ParsedTable, c: number): Profile {
  const values = table.rows.slice(0, SAMPLE_ROWS).map((r) => r[c] ?? '');
  const n = Math.max(1, values.length);
  const set = new Set(values);
  return {
    name: table.columns[c]!,
    avgLen: values.reduce((s, v) => s + v.length, 0) / n,
    distinct: set.size,
    numericShare: values.filter(isNumeric).length / n,
    binary: [...set].every((v) => v.trim() === '0' || v.trim() === '1'),
    sepShare: values.filter((v) => /[;,|]/.test(v) || /^\[.*\]$/.test(v)).length / n,
  };
}

function byName(columns: string[], names: string[]): string | undefined {
  const norm = columns.map(normalizeName);
  for (const n of names) {
    const i = norm.indexOf(n);
    if (i >= 0) return columns[i];
  }
  return undefined;
}

function looksMultiLabel(table: ParsedTable, p: Profile): boolean {
  if (p.sepShare < 0.02 || p.avgLen > 60) return false;
  const c = table.columns.indexOf(p.name);
  const parts = new Set<string>();
  for (const r of table.rows.slice(0, SAMPLE_ROWS))
    for (const x of (r[c] ?? '').split(/[;,|]/)) parts.add(x.replace(/[[\]"\s]/g, ''));
  return parts.size <= 1000 && parts.size < p.distinct;
}

export function guessColumns(table: ParsedTable, task?: DataTask): ColumnGuess {
  const reasons: string[] = [];
  const profiles = table.columns.map((_, c) => profile(table, c));
  let text: string | undefined;
  let textPair: string | undefined;
  if (task !== 'classification' && task !== 'multi-label' && task !== 'token-classification') {
    const norm = table.columns.map(normalizeName);
    const pair = PAIR_NAMES.find(([a, b]) => norm.includes(a) && norm.includes(b));
    if (pair) {
      text = table.columns[norm.indexOf(pair[0])];
      textPair = table.columns[norm.indexOf(pair[1])];
      reasons.push(`text pair from column names "${text}" + "${textPair}"`);
    }
  }
  if (!text) {
    text = byName(table.columns, task === 'token-classification' ? ['tokens', 'words', ...TEXT_NAMES] : TEXT_NAMES);
    if (text) reasons.push(`text column "${text}" by name`);
  }
  let label = byName(
    table.columns.filter((c) => c !== text && c !== textPair),
    task === 'question-answering'
      ? ['answer_text', 'answer', 'answers']
      : task === 'token-classification'
        ? ['ner_tags', 'tags', 'labels', 'label']
        : LABEL_NAMES,
  );
  if (label) reasons.push(`label column "${label}" by name`);
  if (!text) {
    const longest = profiles
      .filter((p) => p.name !== label && p.numericShare < 0.5)
      .sort((a, b) => b.avgLen - a.avgLen)[0];
    text = longest?.name ?? table.columns[0]!;
    reasons.push(`text column "${text}": longest average length`);
  }
  let labelColumns: string[] | undefined;
  if (!label) {
    const indicators = profiles.filter((p) => p.name !== text && p.name !== textPair && p.binary);
    if (indicators.length >= 3 || (task === 'multi-label' && indicators.length >= 2)) {
      labelColumns = indicators.map((p) => p.name);
      reasons.push(`${labelColumns.length} 0/1 columns read as one label each`);
    } else {
      const n = Math.min(table.rows.length, SAMPLE_ROWS);
      const candidates = profiles
        .filter((p) => p.name !== text && p.name !== textPair && p.distinct >= 2 && p.distinct <= Math.max(2, n * 0.5))
        .sort((a, b) => a.distinct - b.distinct || a.avgLen - b.avgLen);
      label = candidates[0]?.name;
      if (label) reasons.push(`label column "${label}": fewest distinct values (${candidates[0]!.distinct})`);
    }
  }
  const labelProfile = profiles.find((p) => p.name === label);
  const multiLabel =
    labelColumns !== undefined ||
    task === 'multi-label' ||
    (task === undefined && labelProfile !== undefined && looksMultiLabel(table, labelProfile));
  if (multiLabel && labelProfile) reasons.push(`"${label}" holds several labels per row`);
  const guess: ColumnGuess = { text, multiLabel, reasons };
  if (textPair) guess.textPair = textPair;
  if (label) guess.label = label;
  if (labelColumns) guess.labelColumns = labelColumns;
  return guess;
}
