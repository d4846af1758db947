// Predictions of a token-cls or qa model: entities with character spans in a typed sentence, the
// answer span to a question over a context, or either for every row of a file.
import Papa from 'papaparse';
import { parseTable } from '../../data';
import { answerQuestion, predictEntities } from '../tasks/predict';
import type { Prediction } from '../protocol';
import type { TrainedTaskModel } from './state';
import { qaWindows } from './tasks';

/** For qa, `text` is the question and `textPair` the context. */
export async function predictTask(t: TrainedTaskModel, text: string, textPair: string | null): Promise<Prediction> {
  if (t.kind === 'token-cls') {
    const { entities } = await predictEntities(t.model, t.tokenizer, t.labels, text, t.maxLength);
    return { labels: t.labels, probabilities: [], predicted: entities.map((e) => e.type).join(', '), entities };
  }
  const context = textPair ?? '';
  if (!context.trim()) throw new Error('type a context for the question');
  const a = await answerQuestion(t.model, t.tokenizer, text, context, qaWindows(t.maxLength));
  return {
    labels: [],
    probabilities: [],
    predicted: a.text,
    answer: { text: a.text, start: a.start, end: a.end, score: a.score },
  };
}

function columnOf(columns: string[], wanted: string | null | undefined, fallback: string, file: string): number {
  const name = wanted && columns.includes(wanted) ? wanted : fallback;
  const i = columns.indexOf(name);
  if (i < 0) throw new Error(`${file} has no column "${name}"; columns: ${columns.join(', ')}`);
  return i;
}

/**
 * The file with the predictions appended: `entities` (JSON list of {type, start, end, text}) for
 * token-cls, reading the text column (or `text`); `answer`, `answer_start`, `score` for qa.
 */
export async function predictTaskFile(
  t: TrainedTaskModel,
  file: File | { name: string; text: string },
): Promise<{ csv: string; rows: number }> {
  const table = await parseTable(file instanceof Blob ? file : file.text, { fileName: file.name });
  const out: string[][] = [];
  if (t.kind === 'token-cls') {
    const ti = columnOf(table.columns, t.settings?.textColumn, 'text', file.name);
    for (const r of table.rows) {
      const p = await predictTask(t, r[ti] ?? '', null);
      out.push([...r, JSON.stringify(p.entities ?? [])]);
    }
    return { csv: Papa.unparse({ fields: [...table.columns, 'entities'], data: out }), rows: out.length };
  }
  const qi = columnOf(table.columns, t.settings?.questionColumn, 'question', file.name);
  const ci = columnOf(table.columns, t.settings?.contextColumn, 'context', file.name);
  for (const r of table.rows) {
    const a = (await predictTask(t, r[qi] ?? '', r[ci] ?? '')).answer!;
    out.push([...r, a.text, String(a.start), a.score.toPrecision(6)]);
  }
  const fields = [...table.columns, 'answer', 'answer_start', 'score'];
  return { csv: Papa.unparse({ fields, data: out }), rows: out.length };
}
