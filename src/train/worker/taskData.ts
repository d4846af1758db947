// Files that are not tables: CoNLL (token-cls) and SQuAD JSON (qa) load as tables with the
// columns the task readers take (tokens / tags as JSON lists; the shared SQuAD CSV's column names),
// so the Data step, the column selects and training see one shape whatever the file was.
import { parseConll, squadFromJson, SQUAD_CSV_COLUMNS, type ParsedTable } from '../../data';
import type { TaskColumns } from '../protocol';

/** Bytes read to decide whether a .txt / .tsv file is CoNLL. */
const SNIFF_BYTES = 64 * 1024;
/** BIO / BIOES / IOB tags as CoNLL-2003 and WNUT-17 write them. */
const TAG = /^(O|[BIESLU]-\S+)$/;

export interface TaskTable {
  table: ParsedTable;
  /** What the Data step reports as the file's format. */
  format: 'conll' | 'squad-json';
}

/**
 * CoNLL when most non-blank lines are "token ... tag" with a BIO tag last and blank lines separate
 * sentences; a text/label TSV fails the tag test.
 */
export function looksLikeConll(head: string): boolean {
  const lines = head
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .slice(0, -1);
  const filled = lines.filter((l) => l.trim() !== '' && !l.startsWith('-DOCSTART-'));
  if (filled.length < 2 || filled.length === lines.length) return false;
  const tagged = filled.filter((l) => {
    const f = l.trim().split(/\s+/);
    return f.length >= 2 && f.length <= 6 && TAG.test(f[f.length - 1]!);
  });
  return tagged.length >= 0.9 * filled.length;
}

function table(columns: string[], rows: string[][]): ParsedTable {
  return {
    columns,
    rows,
    format: 'txt',
    delimiter: null,
    quoting: 'none',
    encoding: 'utf-8',
    hasHeader: true,
    warnings: [],
  };
}

export function conllTable(text: string): ParsedTable {
  const sentences = parseConll(text);
  return table(
    ['tokens', 'tags'],
    sentences.map((s) => [JSON.stringify(s.tokens), JSON.stringify(s.tags)]),
  );
}

/** SQuAD v1.1 JSON as the shared SQuAD CSV's columns; every answer text goes to all_answers_json. */
export function squadJsonTable(text: string): ParsedTable {
  const c = SQUAD_CSV_COLUMNS;
  const columns = [c.idColumn!, c.contextColumn, c.questionColumn, c.answerColumn, c.answerStartColumn!];
  const rows = squadFromJson(text).map((e) => {
    const a = e.answers[0];
    const all = JSON.stringify(e.answers.map((x) => x.text));
    return [e.id, e.context, e.question, a?.text ?? '', a && a.start >= 0 ? String(a.start) : '', all];
  });
  return table([...columns, c.allAnswersColumn!], rows);
}

async function readText(source: Blob | string, limit?: number): Promise<string> {
  if (typeof source === 'string') return limit === undefined ? source : source.slice(0, limit);
  return (limit === undefined ? source : source.slice(0, limit)).text();
}

/** The file as a task table, or null when it is an ordinary table for parseTable. */
export async function readTaskTable(name: string, source: Blob | string): Promise<TaskTable | null> {
  const ext = name.toLowerCase().replace(/^.*(\.[^.]+)$/, '$1');
  if (ext === '.json') {
    const head = (await readText(source, 256)).replace(/^\uFEFF/, '').trimStart();
    if (!head.startsWith('{')) return null;
    return { table: squadJsonTable(await readText(source)), format: 'squad-json' };
  }
  const conll =
    ext === '.conll' || ((ext === '.txt' || ext === '.tsv') && looksLikeConll(await readText(source, SNIFF_BYTES)));
  return conll ? { table: conllTable(await readText(source)), format: 'conll' } : null;
}

/** Pre-filled task columns: the names CoNLL loading, HF datasets exports and the SQuAD CSV use. */
export function guessTaskColumns(columns: readonly string[]): TaskColumns {
  const find = (...names: (string | undefined)[]): string | null =>
    names.find((n): n is string => n !== undefined && columns.includes(n)) ?? null;
  const c = SQUAD_CSV_COLUMNS;
  return {
    tokensColumn: find('tokens', 'words'),
    tagsColumn: find('tags', 'ner_tags', 'labels'),
    contextColumn: find(c.contextColumn, 'paragraph'),
    questionColumn: find(c.questionColumn),
    answerColumn: find(c.answerColumn, 'answer'),
    answerStartColumn: find(c.answerStartColumn),
  };
}
