// Token-tagging data (NER): CoNLL text files and tables with a token list and a tag list per row.
// CoNLL as the HF `conll2003` / `wnut_17` dataset scripts read it: one token per line with its tag
// in the last column, a blank (or whitespace-only) line between sentences, `-DOCSTART-` lines
// ending a sentence and never kept.
import { DataError } from './errors';
import type { ParsedTable } from './parse';

export interface TaggedSentence {
  tokens: string[];
  tags: string[];
}

export interface ConllOptions {
  /** Column holding the tag (0-based); default the last one, as CoNLL-2003 and WNUT-17 put it. */
  tagColumn?: number;
}

/** Sentences of a CoNLL file. Throws DataError 'conll-format' (1-based line numbers) on a line without a tag. */
export function parseConll(text: string, opts: ConllOptions = {}): TaggedSentence[] {
  const out: TaggedSentence[] = [];
  let cur: TaggedSentence = { tokens: [], tags: [] };
  const flush = (): void => {
    if (cur.tokens.length > 0) out.push(cur);
    cur = { tokens: [], tags: [] };
  };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const bad: number[] = [];
  lines.forEach((line, i) => {
    const fields = line.trim().split(/\s+/);
    const first = fields[0] ?? '';
    if (first === '' || first === '-DOCSTART-') return flush();
    const tag = opts.tagColumn === undefined ? fields[fields.length - 1] : fields[opts.tagColumn];
    if (fields.length < 2 || tag === undefined) return void bad.push(i + 1);
    cur.tokens.push(first);
    cur.tags.push(tag);
  });
  flush();
  if (bad.length > 0)
    throw new DataError(
      'conll-format',
      `${bad.length} line(s) have a token but no tag column (lines ${bad.slice(0, 10).join(', ')}${bad.length > 10 ? ', ...' : ''}); ` +
        'CoNLL needs "token<TAB>tag" per line and a blank line between sentences',
      bad,
    );
  return out;
}

/** A token or tag list cell: a JSON array (HF datasets export) or whitespace-separated words. */
export function parseTokenList(cell: string): string[] {
  const s = cell.trim();
  if (s.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(s);
      if (Array.isArray(v)) return v.map((x) => String(x));
    } catch {
      // Not JSON after all (a token may start with "["): fall through to whitespace splitting.
    }
  }
  return s === '' ? [] : s.split(/\s+/);
}

/**
 * Sentences from a table with a tokens column and a tags column (one sentence per row). Tag cells
 * may also hold integer ids into `tagNames` (HF datasets' ClassLabel export). Throws DataError
 * 'tag-count-mismatch' listing the rows whose token and tag counts differ.
 */
export function taggedSentencesFromTable(
  table: ParsedTable,
  tokensColumn: string,
  tagsColumn: string,
  tagNames?: readonly string[],
): TaggedSentence[] {
  const col = (name: string): number => {
    const i = table.columns.indexOf(name);
    if (i < 0) throw new DataError('missing-column', `no column "${name}" (columns: ${table.columns.join(', ')})`);
    return i;
  };
  const ti = col(tokensColumn);
  const gi = col(tagsColumn);
  const out: TaggedSentence[] = [];
  const bad: number[] = [];
  table.rows.forEach((row, r) => {
    const tokens = parseTokenList(row[ti] ?? '');
    let tags = parseTokenList(row[gi] ?? '');
    if (tagNames && tags.every((t) => /^\d+$/.test(t))) tags = tags.map((t) => tagNames[Number(t)] ?? t);
    if (tokens.length !== tags.length) bad.push(r + 1);
    else if (tokens.length > 0) out.push({ tokens, tags });
  });
  if (bad.length > 0)
    throw new DataError(
      'tag-count-mismatch',
      `${bad.length} row(s) have a different number of tokens and tags (rows ${bad.slice(0, 10).join(', ')}${bad.length > 10 ? ', ...' : ''})`,
      bad,
    );
  return out;
}

/** The tag list as HF run_ner builds it when the data has no ClassLabel: sorted unique tags. */
export function tagList(sentences: readonly TaggedSentence[]): string[] {
  const set = new Set<string>();
  for (const s of sentences) for (const t of s.tags) set.add(t);
  return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
