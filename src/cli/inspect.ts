// `inspect FILE [--text-column C] [--label-column L] [--multi-label] [--model DIR] [--encoding E]`: parse a dataset
// file and print one JSON object describing it (layout, labels, token lengths, warnings).
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from './args';
import {
  DataError,
  ENCODING_CHOICES,
  checkDataset,
  datasetRows,
  datasetStats,
  guessColumns,
  parseTable,
  type ColumnMapping,
  type CountTokens,
  type DataWarning,
  type EncodingChoice,
} from '../data';
import { loadBertTokenizer } from '../tokenizer';

function readIfExists(dir: string, name: string): string | undefined {
  const p = path.join(dir, name);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

/** Token counter from a Hugging Face model folder, plus its position limit. */
function loadCounter(dir: string): { count: CountTokens; maxPositions: number } {
  const tok = loadBertTokenizer({
    vocabTxt: readIfExists(dir, 'vocab.txt'),
    tokenizerJson: readIfExists(dir, 'tokenizer.json'),
    tokenizerConfigJson: readIfExists(dir, 'tokenizer_config.json'),
    specialTokensMapJson: readIfExists(dir, 'special_tokens_map.json'),
  });
  const config = readIfExists(dir, 'config.json');
  const positions = config
    ? (JSON.parse(config) as { max_position_embeddings?: unknown }).max_position_embeddings
    : undefined;
  return {
    count: (t, p) => tok.encode(t, p ?? null).inputIds.length,
    maxPositions: typeof positions === 'number' ? positions : 512,
  };
}

const flagString = (v: string | true | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** `--encoding auto|utf-8|windows-1252|latin-1` (default auto); anything else is a usage error. */
function encodingFlag(v: string | true | undefined): EncodingChoice {
  if (v === undefined) return 'auto';
  const choice = ENCODING_CHOICES.find((c) => c === v);
  if (!choice)
    throw new DataError('bad-encoding', `--encoding must be one of ${ENCODING_CHOICES.join(', ')} (got ${String(v)})`);
  return choice;
}

export async function inspectFile(file: string, flags: Map<string, string | true>): Promise<Record<string, unknown>> {
  const encoding = encodingFlag(flags.get('encoding'));
  const table = await parseTable(createReadStream(file), { fileName: file, encoding });
  const guess = guessColumns(table);
  const mapping: ColumnMapping = { ...guess };
  const text = flagString(flags.get('text-column'));
  const label = flagString(flags.get('label-column'));
  if (text) mapping.text = text;
  if (label) {
    mapping.label = label;
    delete mapping.labelColumns;
  }
  if (flags.has('multi-label')) mapping.multiLabel = true;
  else if (label) mapping.multiLabel = false;
  const data = datasetRows(table, mapping);
  const warnings: DataWarning[] = [...table.warnings, ...checkDataset(data)];
  const model = flagString(flags.get('model'));
  const counter = model ? loadCounter(model) : undefined;
  const stats = datasetStats(data, {
    countTokens: counter?.count,
    maxPositions: counter?.maxPositions,
    multiLabel: mapping.multiLabel ?? false,
  });
  warnings.push(...stats.warnings);
  const out: Record<string, unknown> = {
    file,
    bytes: statSync(file).size,
    format: table.format,
    rows: table.rows.length,
    columns: table.columns,
    delimiter: table.delimiter,
    quoting: table.quoting,
    encoding: table.encoding,
    encoding_choice: encoding,
    has_header: table.hasHeader,
    text_column: mapping.text,
    text_pair_column: mapping.textPair ?? null,
    label_column: mapping.label ?? mapping.labelColumns ?? null,
    multi_label: mapping.multiLabel ?? false,
    labels: stats.labels ?? null,
  };
  if (stats.tokenLengths) {
    const t = stats.tokenLengths;
    out.token_lengths = {
      p50: t.p50,
      p90: t.p90,
      p95: t.p95,
      p99: t.p99,
      max: t.max,
      suggested_max_length: t.suggestedMaxLength,
      truncated_rows: t.truncatedRows,
    };
  }
  out.warnings = warnings.map((w) => ({ code: w.code, message: w.message, rows: w.rows, count: w.count }));
  return out;
}

export async function inspect(args: string[]): Promise<number> {
  const p = parseArgs(args);
  const file = p.positional[0];
  if (!file) {
    process.stderr.write(
      'usage: inspect FILE [--text-column C] [--label-column L] [--multi-label] [--model DIR] [--encoding auto|utf-8|windows-1252|latin-1]\n',
    );
    return 2;
  }
  try {
    process.stdout.write(`${JSON.stringify(await inspectFile(file, p.flags))}\n`);
    return 0;
  } catch (e) {
    const code = e instanceof DataError ? e.code : ((e as { code?: unknown }).code ?? 'error');
    const msg = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ');
    process.stderr.write(`error [${String(code)}]: ${file}: ${msg}\n`);
    return 1;
  }
}
