// Sniffs format, delimiter, quoting and header from the first part of a file. Each candidate
// delimiter is parsed both with RFC 4180 quoting and with quotes as plain text; the interpretation
// with consistent field counts wins. Unquoted GLUE TSVs and quoted GoEmotions TSVs need opposite answers.
import { DelimitedParser, DEFAULT_LIMITS, type Quoting } from './delimited';
import { DataError } from './errors';
import { detectHeader } from './header';

export type TableFormat = 'csv' | 'tsv' | 'jsonl' | 'txt';

export interface LayoutOptions {
  fileName?: string;
  format?: TableFormat;
  delimiter?: string;
  quoting?: Quoting;
  hasHeader?: boolean;
}

export interface Layout {
  format: TableFormat;
  delimiter: string | null;
  quoting: Quoting;
  hasHeader: boolean;
  /** Set when both quoting interpretations fit the sample but disagree. */
  ambiguity: string | null;
}

const PROBE_LINES = 2000;
const CANDIDATES = ['\t', ',', ';', '|'];

interface Probe {
  delimiter: string;
  quoting: Quoting;
  rows: string[][];
  mode: number;
  consistency: number;
  quoteProblems: number;
}

export function extensionOf(fileName: string | undefined): string {
  const m = /\.([a-z0-9]+)$/i.exec(fileName ?? '');
  return m ? m[1]!.toLowerCase() : '';
}

function probe(
  text: string,
  truncated: boolean,
  delimiter: string,
  quoting: Quoting,
  tooWide?: { error?: DataError },
): Probe | null {
  const p = new DelimitedParser(delimiter, quoting, false, DEFAULT_LIMITS);
  try {
    p.push(text);
    p.end(truncated);
  } catch (e) {
    if (tooWide && !tooWide.error && e instanceof DataError && e.code === 'too-many-columns') tooWide.error = e;
    return null;
  }
  let mode = 0;
  let best = 0;
  for (const [count, n] of p.fieldCounts) if (n > best) [mode, best] = [count, n];
  const rows = p.rows.length;
  // a quoted run that never closes inside the sample is a quoting problem too
  const stuck = truncated && p.pendingChars > text.length / 2 ? 1 : 0;
  return {
    delimiter,
    quoting,
    rows: p.rows,
    mode,
    consistency: rows ? best / rows : 0,
    quoteProblems: p.quoteProblems.length + stuck,
  };
}

function looksLikeJsonl(sample: string): boolean {
  const first = sample.trimStart();
  if (!first.startsWith('{')) return false;
  const line = first.split('\n', 1)[0]!;
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

/** Quote evidence over raw (unquoted) fields: well-formed "…" fields vs quotes inside plain text. */
function quoteEvidence(rows: string[][]): { wellQuoted: number; midQuote: number } {
  let wellQuoted = 0;
  let midQuote = 0;
  for (const row of rows) {
    for (const f of row) {
      if (!f.includes('"')) continue;
      if (!f.startsWith('"')) midQuote++;
      else if (f.length >= 2 && f.endsWith('"') && !f.slice(1, -1).replace(/""/g, '').includes('"')) wellQuoted++;
    }
  }
  return { wellQuoted, midQuote };
}

function chooseQuoting(
  q: Probe | null,
  u: Probe | null,
  delimiter: string,
): { quoting: Quoting; ambiguity: string | null } {
  const qOk = q !== null && q.consistency === 1 && q.quoteProblems === 0;
  const uOk = u !== null && u.consistency === 1;
  const ev = quoteEvidence(u?.rows ?? []);
  const comma = delimiter === ',';
  if (qOk && !uOk) return { quoting: 'rfc4180', ambiguity: null };
  if (uOk && !qOk) {
    // A CSV whose only "quote problem" is an unclosed opening quote is a broken CSV, not an unquoted file.
    return { quoting: comma && ev.midQuote === 0 ? 'rfc4180' : 'none', ambiguity: null };
  }
  if (qOk && uOk) {
    if (ev.wellQuoted > 0 && ev.midQuote > 0) {
      return {
        quoting: 'none',
        ambiguity: `Some fields are wrapped in quotes while others contain bare quote characters; quotes were kept as ordinary text (${ev.wellQuoted} quoted-looking fields kept with their quotes). Choose RFC 4180 quoting if the quotes should be removed.`,
      };
    }
    if (ev.wellQuoted > 0) return { quoting: 'rfc4180', ambiguity: null };
    return { quoting: ev.midQuote > 0 && !comma ? 'none' : 'rfc4180', ambiguity: null };
  }
  // Neither reading is clean. Without bare quotes inside plain text the file is meant to be quoted,
  // so the quote error is the one to report; otherwise go with the more consistent reading.
  if (ev.midQuote === 0) return { quoting: 'rfc4180', ambiguity: null };
  const qc = q?.consistency ?? 0;
  const uc = u?.consistency ?? 0;
  if (qc !== uc) return { quoting: qc > uc ? 'rfc4180' : 'none', ambiguity: null };
  return { quoting: comma ? 'rfc4180' : 'none', ambiguity: null };
}

function delimiterOrder(ext: string): string[] {
  if (ext === 'csv') return [',', ';', '\t', '|'];
  if (ext === 'tsv' || ext === 'tab') return ['\t', ',', ';', '|'];
  return CANDIDATES;
}

/** `complete` says whether `sample` is the whole file. */
export function detectLayout(sample: string, complete: boolean, opts: LayoutOptions): Layout {
  const ext = extensionOf(opts.fileName);
  let format = opts.format;
  if (!format && (ext === 'jsonl' || ext === 'ndjson' || ext === 'json' || looksLikeJsonl(sample))) format = 'jsonl';
  if (format === 'jsonl' || format === 'txt') {
    return { format, delimiter: null, quoting: 'none', hasHeader: false, ambiguity: null };
  }
  let text = sample;
  let truncated = !complete;
  let nl = -1;
  for (let i = 0; i < PROBE_LINES; i++) {
    const next = text.indexOf('\n', nl + 1);
    if (next < 0) break;
    nl = next;
  }
  if (nl >= 0 && (truncated || text.indexOf('\n', nl + 1) >= 0)) {
    text = text.slice(0, nl + 1);
    truncated = true;
  }
  const forcedDelim = opts.delimiter ?? (format === 'tsv' ? '\t' : undefined);
  const delims = forcedDelim ? [forcedDelim] : ext === 'txt' ? ['\t'] : delimiterOrder(ext);
  const modes: Quoting[] = opts.quoting ? [opts.quoting] : ['rfc4180', 'none'];
  let best: { d: string; probes: (Probe | null)[]; score: number } | null = null;
  const tooWide: { error?: DataError } = {};
  for (const d of delims) {
    const probes = modes.map((m) => probe(text, truncated, d, m, tooWide));
    const score = Math.max(...probes.map((p) => (p && p.mode >= 2 ? p.consistency : 0)));
    if (!best || score > best.score) best = { d, probes, score };
  }
  const minScore = ext === 'txt' ? 0.99 : 0.8;
  if (!forcedDelim && (!best || best.score < minScore) && ext !== 'csv' && ext !== 'tsv') {
    // No delimiter fits, and one of them gave a row past the column cap: say so rather than
    // reading a line of commas as one huge text example.
    if (tooWide.error) throw tooWide.error;
    return { format: 'txt', delimiter: null, quoting: 'none', hasHeader: false, ambiguity: null };
  }
  const delimiter = best && best.score > 0 ? best.d : (forcedDelim ?? (ext === 'tsv' ? '\t' : ','));
  const probes = best && best.d === delimiter ? best.probes : modes.map((m) => probe(text, truncated, delimiter, m));
  const choice = opts.quoting
    ? { quoting: opts.quoting, ambiguity: null }
    : chooseQuoting(probes[0] ?? null, probes[1] ?? null, delimiter);
  const rows = probes[modes.indexOf(choice.quoting)]?.rows ?? [];
  const hasHeader = opts.hasHeader ?? detectHeader(rows, ext === 'csv' ? 0.5 : 0);
  return {
    format: delimiter === '\t' ? 'tsv' : 'csv',
    delimiter,
    quoting: choice.quoting,
    hasHeader,
    ambiguity: choice.ambiguity,
  };
}
