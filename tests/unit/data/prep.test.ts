// Labels, checks, statistics, splits and batches — on real data where it matters, with results
// compared against direct counts.
import { describe, expect, it } from 'vitest';
import {
  buildLabels,
  checkDataset,
  datasetRows,
  datasetStats,
  dropRows,
  guessColumns,
  labelsFromIndicatorColumns,
  makeBatches,
  parseTable,
  percentile,
  rowsWith,
  splitByColumn,
  splitLabelValue,
  stratifiedSplit,
  tokenLengthStats,
} from '../../../src/data';
import { mulberry32, shuffleInPlace } from '../../../src/lib/rng';
import { col, dataPath, parseFile, tally } from './helpers';

const words = (t: string): number => t.split(/\s+/).filter(Boolean).length;

describe('labels', () => {
  it('orders numeric labels numerically and strings alphabetically', () => {
    expect(buildLabels(['10', '2', '1', '2', '']).id2label).toEqual(['1', '2', '10']);
    const s = buildLabels(['spam', 'ham', 'Ham', 'ham']);
    expect([s.id2label, s.counts, s.rowLabels]).toEqual([
      ['Ham', 'ham', 'spam'],
      [1, 2, 1],
      [[2], [1], [0], [1]],
    ]);
    expect(buildLabels(['a', '', ' b ']).missing).toEqual([2]);
  });

  it('splits multi-label cells in every supported form', () => {
    expect(splitLabelValue('a,b')).toEqual(['a', 'b']);
    expect(splitLabelValue('["a", "b"]')).toEqual(['a', 'b']);
    expect(splitLabelValue('a|b')).toEqual(['a', 'b']);
    expect(splitLabelValue('joy; love')).toEqual(['joy', 'love']);
    expect(splitLabelValue('3,27')).toEqual(['3', '27']);
    expect(splitLabelValue('')).toEqual([]);
    const m = buildLabels(['3,27', '27', '5'], { multiLabel: true });
    expect([m.id2label, m.counts, m.rowLabels]).toEqual([
      ['3', '5', '27'],
      [1, 1, 2],
      [[0, 2], [2], [1]],
    ]);
  });

  it('reads several 0/1 columns as one multi-label set, in file order', async () => {
    const t = await parseTable('text,joy,anger,fear\nhi,1,0,0\nugh,0,1,1\nmeh,0,0,0\n');
    const guess = guessColumns(t);
    expect([guess.labelColumns, guess.multiLabel]).toEqual([['joy', 'anger', 'fear'], true]);
    const set = labelsFromIndicatorColumns(t.columns, t.rows, guess.labelColumns!);
    expect([set.id2label, set.counts, set.rowLabels, set.missing]).toEqual([
      ['joy', 'anger', 'fear'],
      [1, 1, 1],
      [[0], [1, 2], []],
      [3],
    ]);
  });
});

describe('checkDataset and dropRows', () => {
  it('finds empty texts, missing labels, duplicates, conflicts, overlap and unseen labels with row numbers', async () => {
    const train = await parseTable('text,label\na,x\n,y\nb,\na,x\na,y\nc,x\n');
    const val = await parseTable('text,label\nc,x\nd,z\ne,y\n');
    const m = { text: 'text', label: 'label' };
    const w = checkDataset(datasetRows(train, m), datasetRows(val, m));
    const by = Object.fromEntries(w.map((x) => [x.code, x.rows]));
    expect(by).toEqual({
      'empty-text': [2],
      'missing-label': [3],
      'duplicate-rows': [4],
      'conflicting-labels': [5],
      'train-validation-overlap': [1],
      'unseen-validation-labels': [2],
    });
    const data = datasetRows(train, m);
    const cleaned = dropRows(train, [...rowsWith(data, 'empty-text'), ...rowsWith(data, 'duplicate-rows')]);
    expect(cleaned.rows).toEqual([
      ['a', 'x'],
      ['b', ''],
      ['a', 'y'],
      ['c', 'x'],
    ]);
    expect(train.rows.length).toBe(6); // the original is untouched
  });

  it('SMS spam: 403 duplicate texts as PROVENANCE.md states, no other problems', async () => {
    const t = await parseFile(dataPath('sms_spam/sms_spam.csv'));
    const w = checkDataset(datasetRows(t, guessColumns(t)));
    expect(w.map((x) => [x.code, x.count])).toEqual([['duplicate-rows', 403]]);
  });
});

describe('statistics', () => {
  it('nearest-rank percentiles and the suggested max_length', () => {
    const lengths = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    const s = tokenLengthStats(lengths, 512);
    expect([s.p50, s.p90, s.p95, s.p99, s.max]).toEqual([50, 90, 95, 99, 100]);
    expect(s.suggestedMaxLength).toBe(96);
    expect(s.truncatedRows).toBe(4);
    expect(s.histogram.counts.reduce((a, b) => a + b, 0)).toBe(100);
    expect(tokenLengthStats([700, 900], 512).suggestedMaxLength).toBe(512);
    expect(percentile([], 50)).toBe(0);
  });

  it('SMS: label counts, token lengths and the imbalance warning match a direct count', async () => {
    const t = await parseFile(dataPath('sms_spam/SMSSpamCollection'));
    const data = datasetRows(t, guessColumns(t));
    const stats = datasetStats(data, { countTokens: words, maxPositions: 128 });
    expect(stats.labels).toEqual({ ham: 4827, spam: 747 });
    const sorted = col(t, 'column_2')
      .map(words)
      .sort((a, b) => a - b);
    const tl = stats.tokenLengths!;
    expect(tl.max).toBe(sorted.at(-1));
    expect(tl.p95).toBe(sorted[Math.ceil(0.95 * sorted.length) - 1]);
    expect(sorted.filter((l) => l <= tl.suggestedMaxLength).length / sorted.length).toBeGreaterThanOrEqual(0.95);
    expect(tl.suggestedMaxLength % 8).toBe(0);
    expect(tl.suggestedMaxLength - tl.p95).toBeLessThan(8);
    expect(stats.warnings.map((w) => w.code)).toEqual(['class-imbalance']);
    expect(stats.warnings[0]!.message).toMatch(/"spam" is 13\.4% of rows .*ham: 0\.58, spam: 3\.73/);
    const balanced = datasetStats({ texts: ['a', 'b'], labels: [['x'], ['y']] });
    expect(balanced.warnings).toEqual([]);
  });
});

describe('splits', () => {
  it('stratified split of SMS keeps each class within one row of exact, disjoint and complete', async () => {
    const t = await parseFile(dataPath('sms_spam/sms_spam.csv'));
    const keys = col(t, 'label');
    const s = stratifiedSplit(keys, { validation: 0.15, test: 0.1, seed: 7 });
    const all = [...s.train, ...s.validation, ...s.test].sort((a, b) => a - b);
    expect(all).toEqual(keys.map((_, i) => i));
    const totals = tally(keys);
    for (const [part, frac] of [
      [s.train, 0.75],
      [s.validation, 0.15],
      [s.test, 0.1],
    ] as const) {
      const got = tally(part.map((i) => keys[i]!));
      for (const [label, n] of Object.entries(totals)) expect(Math.abs(got[label]! - n * frac)).toBeLessThanOrEqual(1);
    }
    expect(stratifiedSplit(keys, { validation: 0.15, test: 0.1, seed: 7 })).toEqual(s);
    expect(stratifiedSplit(keys, { validation: 0.15, test: 0.1, seed: 8 }).validation).not.toEqual(s.validation);
  });

  it('split by column names; unknown values are listed, not dropped', () => {
    expect(splitByColumn(['train', 'dev', 'Test', 'validation', 'x', 'TRAIN'])).toEqual({
      train: [0, 5],
      validation: [1, 3],
      test: [2],
      unknown: [4],
    });
    expect(() => stratifiedSplit(['a'], { validation: 0.6, test: 0.5, seed: 1 })).toThrow(/fractions/);
  });
});

describe('batches and rng', () => {
  it('mulberry32 is deterministic and uniform enough; shuffle is a permutation', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 10000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5)).toBeLessThan(0.02);
    const arr = shuffleInPlace(
      Array.from({ length: 50 }, (_, i) => i),
      mulberry32(1),
    );
    expect([...arr].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(arr).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('makeBatches covers every index once; bucketing cuts padding', () => {
    const rand = mulberry32(3);
    const lengths = Array.from({ length: 1000 }, () => 5 + Math.floor(rand() * 200));
    const plain = makeBatches(lengths, 32, { shuffle: true, seed: 1 });
    const bucketed = makeBatches(lengths, 32, { shuffle: true, seed: 1, bucket: 20 });
    for (const batches of [plain, bucketed]) {
      expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
      expect(batches.filter((b) => b.length !== 32).map((b) => b.length)).toEqual([1000 % 32]);
    }
    const padded = (bs: number[][]): number =>
      bs.reduce((s, b) => s + b.length * Math.max(...b.map((i) => lengths[i]!)), 0);
    expect(padded(bucketed)).toBeLessThan(0.7 * padded(plain));
    expect(makeBatches(lengths, 32, { shuffle: true, seed: 1, bucket: 20 })).toEqual(bucketed);
    expect(makeBatches([1, 2, 3], 2, { shuffle: false, seed: 0 })).toEqual([[0, 1], [2]]);
  });
});
