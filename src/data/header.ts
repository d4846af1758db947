// Does the first row name the columns, or is it already data? Headerless files are common
// (SMSSpamCollection, GoEmotions and AG News TSVs), so we score each column's first value against
// the values below it instead of assuming a header.

/** Column names that mean "the text": order is preference. */
export const TEXT_NAMES = [
  'text',
  'sentence',
  'review',
  'message',
  'content',
  'document',
  'comment',
  'body',
  'tweet',
  'utterance',
  'description',
  'question',
  'sentence1',
  'premise',
  'text_a',
  'sms',
  'input',
  'query',
  'passage',
  'tokens',
  'context',
];
/** Second text of a pair, matched with the first by position in this list. */
export const PAIR_NAMES: [string, string][] = [
  ['sentence1', 'sentence2'],
  ['premise', 'hypothesis'],
  ['text_a', 'text_b'],
  ['question', 'context'],
  ['question', 'sentence'],
  ['question', 'passage'],
  ['query', 'document'],
  ['text1', 'text2'],
  ['sentence_a', 'sentence_b'],
];
export const LABEL_NAMES = [
  'label',
  'labels',
  'class',
  'target',
  'sentiment',
  'category',
  'label_ids',
  'ner_tags',
  'tags',
  'y',
  'emotion',
  'topic',
  'intent',
  'answer_text',
  'answer',
  'gold_label',
  'polarity',
  'rating',
  'score',
  'stars',
];
const OTHER_NAMES = [
  'id',
  'idx',
  'index',
  'title',
  'split',
  'source',
  'source_file',
  'url',
  'date',
  'name',
  'answer_start',
  'all_answers_json',
  'label_name',
  'author',
  'language',
  'lang',
  'fold',
];
const KNOWN = new Set([...TEXT_NAMES, ...PAIR_NAMES.flat(), ...LABEL_NAMES, ...OTHER_NAMES]);

const NUMERIC = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;
const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_ .\-/()#]*$/u;
const SAMPLE_ROWS = 200;

const NUMBER_LIST = /^\s*\d+(\s*[,;| ]\s*\d+)+\s*$/; // "3,27": GoEmotions label ids

export const isNumeric = (v: string): boolean => NUMERIC.test(v);
const isNumberLike = (v: string): boolean => NUMERIC.test(v) || NUMBER_LIST.test(v);

export function normalizeName(v: string): string {
  return v
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function columnScore(first: string, rest: string[]): number {
  const v = first.trim();
  let score = 0;
  if (KNOWN.has(normalizeName(v))) score += 3;
  if (v === '' || isNumberLike(v)) score -= 2; // a name is never blank or a number
  const numeric = rest.filter(isNumberLike).length;
  if (rest.length > 0 && numeric / rest.length >= 0.9 && !isNumberLike(v)) score += 2;
  if (v !== '' && rest.includes(first)) score -= 2; // a label-like value that repeats is data
  const avg = rest.reduce((s, r) => s + r.length, 0) / Math.max(1, rest.length);
  const words = v.split(/\s+/).length;
  if (words > 3 && v.length >= 15)
    score -= 2; // a sentence is data
  else if (avg >= 20 && v.length <= 0.3 * avg && IDENTIFIER.test(v)) score += 1;
  return score;
}

/**
 * Decide whether rows[0] is a header. `prior` nudges ties (CSV files usually have one).
 * A single-row file is a header when every value looks like a column name.
 */
export function detectHeader(rows: string[][], prior = 0): boolean {
  const first = rows[0];
  if (!first) return false;
  if (new Set(first).size !== first.length) return false;
  if (rows.length === 1) return first.every((v) => IDENTIFIER.test(v.trim()) && v.length <= 64);
  const rest = rows.slice(1, SAMPLE_ROWS + 1);
  let total = prior;
  first.forEach((v, c) => {
    total += columnScore(
      v,
      rest.map((r) => r[c] ?? ''),
    );
  });
  return total > 0;
}

/** Header names made unique and non-empty; reports which were changed. */
export function cleanColumnNames(raw: string[]): { names: string[]; renamed: string[] } {
  const seen = new Set<string>();
  const renamed: string[] = [];
  const names = raw.map((r, i) => {
    let name = r.trim() === '' ? `column_${i + 1}` : r;
    if (seen.has(name)) {
      let k = 2;
      while (seen.has(`${name}_${k}`)) k++;
      name = `${name}_${k}`;
    }
    if (name !== r) renamed.push(`${JSON.stringify(r)} -> ${JSON.stringify(name)}`);
    seen.add(name);
    return name;
  });
  return { names, renamed };
}
