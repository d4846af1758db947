// Exact match and token F1 as the official SQuAD v1.1 evaluation script (evaluate-v1.1.py):
// normalize_answer = lower -> remove string.punctuation -> remove articles (\b(a|an|the)\b) ->
// collapse whitespace; F1 over the bag of normalised tokens; max over every ground truth; both
// reported as percentages of all questions (an unanswered question scores 0).

// Python's string.punctuation (ASCII only).
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
// Python 3's `re` word characters for str patterns (letters, numbers, underscore; marks are not),
// so "\b" here is Unicode-aware as in the script, not JavaScript's ASCII \b.
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;
// str.split() with no argument: Python's Unicode whitespace (which differs from JavaScript's \s).
// eslint-disable-next-line no-control-regex -- \x1c-\x1f are whitespace to Python
const PY_WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/u;

function pySplit(s: string): string[] {
  return s.split(PY_WHITESPACE).filter((t) => t !== '');
}

export function normalizeAnswer(s: string): string {
  let out = '';
  for (const ch of s.toLowerCase()) if (!PUNCTUATION.has(ch)) out += ch;
  return pySplit(out.replace(ARTICLES, ' ')).join(' ');
}

export function exactMatchScore(prediction: string, groundTruth: string): number {
  return normalizeAnswer(prediction) === normalizeAnswer(groundTruth) ? 1 : 0;
}

export function f1Score(prediction: string, groundTruth: string): number {
  const p = pySplit(normalizeAnswer(prediction));
  const g = pySplit(normalizeAnswer(groundTruth));
  const counts = new Map<string, number>();
  for (const t of g) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of p) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / p.length;
  const recall = same / g.length;
  return (2 * precision * recall) / (precision + recall);
}

/** max over ground truths (the script's metric_max_over_ground_truths; no ground truth scores 0). */
export function maxOverGroundTruths(
  fn: (prediction: string, groundTruth: string) => number,
  prediction: string,
  groundTruths: readonly string[],
): number {
  let best = 0;
  for (const g of groundTruths) best = Math.max(best, fn(prediction, g));
  return best;
}

export interface SquadScores {
  /** Percentages, as the official script prints them. */
  exact_match: number;
  f1: number;
  total: number;
}

/** `references`: question id -> every ground-truth answer text; `predictions`: id -> predicted text. */
export function squadScores(
  references: ReadonlyMap<string, readonly string[]>,
  predictions: ReadonlyMap<string, string>,
): SquadScores {
  let em = 0;
  let f1 = 0;
  for (const [id, truths] of references) {
    const p = predictions.get(id);
    if (p === undefined) continue;
    em += maxOverGroundTruths(exactMatchScore, p, truths);
    f1 += maxOverGroundTruths(f1Score, p, truths);
  }
  const total = references.size;
  return { exact_match: total === 0 ? 0 : (100 * em) / total, f1: total === 0 ? 0 : (100 * f1) / total, total };
}
