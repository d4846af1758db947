// The official SQuAD v1.1 evaluate script's normalisation, EM and F1 on hand-worked cases,
// including where Python's Unicode \b and str.split() differ from JavaScript's defaults.
import { describe, expect, it } from 'vitest';
import { exactMatchScore, f1Score, normalizeAnswer, squadScores } from '../../../src/train/tasks/squadMetric';

describe('normalizeAnswer', () => {
  it.each([
    ['The Denver Broncos!', 'denver broncos'],
    ['  An  apple,\tthe pie ', 'apple pie'],
    ['theater a.m.', 'theater am'], // "the" inside a word stays; punctuation goes first
    ["Levi's Stadium", 'levis stadium'],
    ['café the end', 'café end'],
    ['éthe x', 'éthe x'], // Python: é is a word character, so no \b before "the"
    ['x\u001cy', 'x y'], // \x1c is whitespace to Python's str.split()
    ['x\ufeffy', 'x\ufeffy'], // ...and U+FEFF is not
    ['24–10', '24–10'], // en dash is not in string.punctuation
  ])('%j -> %j', (input, want) => expect(normalizeAnswer(input)).toBe(want));
});

describe('exact match and F1', () => {
  it('scores like evaluate-v1.1.py', () => {
    expect(exactMatchScore('the Denver Broncos', 'Denver Broncos')).toBe(1);
    expect(f1Score('Denver Broncos', 'the Denver Broncos')).toBe(1);
    expect(f1Score('Broncos of Denver', 'Denver Broncos')).toBeCloseTo(0.8, 12); // P 2/3, R 1
    expect(f1Score('cat cat dog', 'cat dog dog')).toBeCloseTo(2 / 3, 12); // bag-of-tokens overlap
    expect(f1Score('the', 'a')).toBe(0); // both normalise to nothing
    expect(exactMatchScore('the', 'a')).toBe(1);
    expect(f1Score('', 'Denver')).toBe(0);
  });

  it('averages the max over ground truths as percentages, unanswered questions scoring 0', () => {
    const refs = new Map([
      ['q1', ['Denver Broncos', 'The Broncos']],
      ['q2', ['Santa Clara, California', "Levi's Stadium"]],
      ['q3', ['gold']],
    ]);
    const preds = new Map([
      ['q1', 'Broncos'], // EM max(0, 1) = 1 ('The Broncos' normalises to 'broncos') / F1 1
      ['q2', 'Santa Clara'], // EM 0 / F1 2*(1*2/3)/(1+2/3) = 0.8
    ]);
    const s = squadScores(refs, preds);
    expect(s.total).toBe(3);
    expect(s.exact_match).toBeCloseTo(100 / 3, 10);
    expect(s.f1).toBeCloseTo((100 * (1 + 0.8)) / 3, 10);
  });
});
