// Extractive QA data: SQuAD v1.1 JSON ({data: [{title, paragraphs: [{context, qas: [{id, question,
// answers: [{text, answer_start}]}]}]}]}) and flat tables (one question per row), into one shape.
import { DataError } from './errors';
import type { ParsedTable } from './parse';

export interface QaAnswer {
  text: string;
  /** Character offset in the context (UTF-16), or -1 where the source gives none. */
  start: number;
}

export interface QaExample {
  id: string;
  question: string;
  context: string;
  /** answers[0] is the training target; every text counts for exact match / F1. */
  answers: QaAnswer[];
}

export interface QaColumns {
  contextColumn: string;
  questionColumn: string;
  answerColumn: string;
  /** Optional: without it, the answer's first occurrence in the context is used. */
  answerStartColumn?: string;
  idColumn?: string;
  /** Optional JSON list of every ground-truth answer text (the shared SQuAD CSV's all_answers_json). */
  allAnswersColumn?: string;
}

/** The shared SQuAD CSV's column names. */
export const SQUAD_CSV_COLUMNS: QaColumns = {
  contextColumn: 'context',
  questionColumn: 'question',
  answerColumn: 'answer_text',
  answerStartColumn: 'answer_start',
  idColumn: 'id',
  allAnswersColumn: 'all_answers_json',
};

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function squadFromJson(text: string): QaExample[] {
  let root: unknown;
  try {
    root = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new DataError('squad-format', `not valid JSON: ${(e as Error).message}`);
  }
  if (!isObj(root) || !Array.isArray(root.data))
    throw new DataError('squad-format', 'SQuAD JSON needs a top-level "data" list of articles');
  const out: QaExample[] = [];
  for (const article of root.data) {
    const paragraphs = isObj(article) && Array.isArray(article.paragraphs) ? article.paragraphs : [];
    for (const p of paragraphs) {
      if (!isObj(p) || typeof p.context !== 'string' || !Array.isArray(p.qas)) continue;
      for (const qa of p.qas) {
        if (!isObj(qa)) continue;
        const answers = (Array.isArray(qa.answers) ? qa.answers : []).filter(isObj).map((a) => ({
          text: String(a.text ?? ''),
          start: typeof a.answer_start === 'number' ? a.answer_start : -1,
        }));
        out.push({ id: String(qa.id ?? out.length), question: String(qa.question ?? ''), context: p.context, answers });
      }
    }
  }
  if (out.length === 0) throw new DataError('squad-format', 'the SQuAD JSON holds no questions');
  return out;
}

/** Rows of a flat table; throws DataError 'answer-not-in-context' listing rows whose answer span is wrong. */
export function squadFromTable(table: ParsedTable, cols: QaColumns): QaExample[] {
  const col = (name: string | undefined): number => {
    if (name === undefined) return -1;
    const i = table.columns.indexOf(name);
    if (i < 0) throw new DataError('missing-column', `no column "${name}" (columns: ${table.columns.join(', ')})`);
    return i;
  };
  const [ci, qi, ai, si, ii, all] = [
    col(cols.contextColumn),
    col(cols.questionColumn),
    col(cols.answerColumn),
    col(cols.answerStartColumn),
    col(cols.idColumn),
    col(cols.allAnswersColumn),
  ];
  const bad: number[] = [];
  const out: QaExample[] = [];
  table.rows.forEach((row, r) => {
    const context = row[ci] ?? '';
    const text = row[ai] ?? '';
    let start = si >= 0 ? Number(row[si]) : context.indexOf(text);
    if (si >= 0 && (row[si] ?? '').trim() === '') start = context.indexOf(text);
    if (!Number.isInteger(start) || start < 0 || context.slice(start, start + text.length) !== text) {
      bad.push(r + 1);
      return;
    }
    const answers: QaAnswer[] = [{ text, start }];
    for (const t of all >= 0 ? parseAnswerList(row[all] ?? '') : []) answers.push({ text: t, start: -1 });
    out.push({ id: ii >= 0 ? (row[ii] ?? String(r)) : String(r), question: row[qi] ?? '', context, answers });
  });
  if (bad.length > 0)
    throw new DataError(
      'answer-not-in-context',
      `${bad.length} row(s) have an answer that is not at its start offset in the context (rows ${bad.slice(0, 10).join(', ')}${bad.length > 10 ? ', ...' : ''})`,
      bad,
    );
  return out;
}

function parseAnswerList(cell: string): string[] {
  if (cell.trim() === '') return [];
  try {
    const v: unknown = JSON.parse(cell);
    if (Array.isArray(v)) return v.map((x) => String(x));
  } catch {
    // A plain text cell: one extra answer.
  }
  return [cell];
}
