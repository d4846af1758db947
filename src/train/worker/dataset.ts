// Dataset messages: parse the user's file (off the main thread) and compute statistics.
import {
  checkDataset,
  datasetRows,
  datasetStats,
  guessColumns,
  parseTable,
  type DataWarning,
  type ParsedTable,
} from '../../data';
import type { DatasetStats, DatasetSummary, DataWarningView, EncodingChoice, ExtraFileRole } from '../protocol';
import type { Post, WorkerState } from './state';
import { guessTaskColumns, readTaskTable } from './taskData';

const PREVIEW_ROWS = 20;

export function warningView(w: DataWarning): DataWarningView {
  return { code: w.code, message: w.message, count: w.count, rows: w.rows };
}

/** `encoding` re-reads the bytes with the user's choice (default: auto-detect). */
export async function loadDataset(
  state: WorkerState,
  file: File | { name: string; text: string },
  post: Post,
  encoding: EncodingChoice = 'auto',
) {
  const name = file.name;
  const source = file instanceof Blob ? file : file.text;
  let lastPost = 0;
  const special = await readTaskTable(name, source);
  const table =
    special?.table ??
    (await parseTable(source, { fileName: name, encoding }, (p) => {
      const now = Date.now();
      if (now - lastPost < 150) return;
      lastPost = now;
      post({ type: 'datasetProgress', bytesDone: p.bytesDone, bytesTotal: p.bytesTotal });
    }));
  state.table = table;
  state.fileName = name;
  // A validation file belongs with the training file it was picked for.
  state.validTable = null;
  state.validFileName = '';
  state.testTable = null;
  state.testFileName = '';
  state.embedded = null;
  const summary = { ...summarize(name, table), ...(encoding !== 'auto' ? { encodingChoice: encoding } : {}) };
  post({ type: 'datasetLoaded', summary: special ? { ...summary, format: special.format } : summary });
}

/**
 * Parses a separate validation file (or, with role 'test', the test file) and keeps it next to the
 * training table. A test reply also says which validation file the worker holds.
 */
export async function loadValidation(
  state: WorkerState,
  file: File | { name: string; text: string },
  post: Post,
  o: { role?: ExtraFileRole; encoding?: EncodingChoice } = {},
): Promise<void> {
  const what = o.role === 'test' ? 'test' : 'validation';
  const table = await parseTable(file instanceof Blob ? file : file.text, {
    fileName: file.name,
    encoding: o.encoding ?? 'auto',
  });
  if (table.rows.length === 0) throw new Error(`the ${what} file ${file.name} has no data rows`);
  const reply = {
    type: 'validationLoaded',
    fileName: file.name,
    rows: table.rows.length,
    columns: table.columns,
  } as const;
  if (what === 'test') {
    state.testTable = table;
    state.testFileName = file.name;
    post({ ...reply, role: 'test' });
    return;
  }
  state.validTable = table;
  state.validFileName = file.name;
  post(reply);
}

function summarize(fileName: string, table: ParsedTable): DatasetSummary {
  const guess = guessColumns(table);
  return {
    fileName,
    rows: table.rows.length,
    columns: table.columns,
    preview: table.rows.slice(0, PREVIEW_ROWS),
    format: table.format,
    delimiter: table.delimiter ?? '',
    quoting: table.quoting,
    encoding: table.encoding,
    hasHeader: table.hasHeader,
    guess: { text: guess.text ?? null, textPair: guess.textPair ?? null, label: guess.label ?? null },
    taskGuess: guessTaskColumns(table.columns),
    warnings: table.warnings.map(warningView),
  };
}

export function computeStats(
  state: WorkerState,
  mapping: { textColumn: string; textPairColumn: string | null; labelColumn: string },
): DatasetStats {
  const table = state.table;
  if (!table) throw new Error('load a dataset first');
  for (const c of [mapping.textColumn, mapping.labelColumn, mapping.textPairColumn]) {
    if (c !== null && !table.columns.includes(c)) throw new Error(`the file has no column "${c}"`);
  }
  const rows = datasetRows(table, {
    text: mapping.textColumn,
    label: mapping.labelColumn,
    ...(mapping.textPairColumn ? { textPair: mapping.textPairColumn } : {}),
  });
  const tok = state.base?.tokenizer;
  const stats = datasetStats(rows, {
    ...(tok ? { countTokens: (t: string, p?: string) => tok.encode(t, p, { truncation: false }).inputIds.length } : {}),
    ...(state.base ? { maxPositions: state.base.config.max_position_embeddings } : {}),
  });
  const tl = stats.tokenLengths;
  const edges = tl?.histogram.edges ?? [];
  return {
    labels: Object.entries(stats.labels ?? {}).map(([name, count]) => ({ name, count })),
    tokenLengths: tl
      ? { p50: tl.p50, p90: tl.p90, p95: tl.p95, p99: tl.p99, max: tl.max, suggestedMaxLength: tl.suggestedMaxLength }
      : null,
    histogram: (tl?.histogram.counts ?? []).map((count, i) => ({ from: edges[i] ?? 0, to: edges[i + 1] ?? 0, count })),
    warnings: [...checkDataset(rows), ...stats.warnings].map(warningView),
  };
}
