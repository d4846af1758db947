// Every shared dataset loads with the row counts and label distributions stated in its PROVENANCE.md,
// and each original TSV parses to exactly the fields of its derived CSV (checked field by field
// against the originals with Python's csv module when the CSVs were made).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildLabels, guessColumns, labelCounts, parseTable } from '../../../src/data';
import { col, dataPath, parseFile, readBytes, tally } from './helpers';

describe('sms_spam', () => {
  it('SMSSpamCollection (unquoted, headerless TSV) and sms_spam.csv agree: 5,574 rows, ham 4,827 / spam 747', async () => {
    const tsv = await parseFile(dataPath('sms_spam/SMSSpamCollection'));
    const csv = await parseFile(dataPath('sms_spam/sms_spam.csv'));
    expect([tsv.delimiter, tsv.quoting, tsv.hasHeader, tsv.encoding]).toEqual(['\t', 'none', false, 'utf-8']);
    expect(tsv.rows.length).toBe(5574);
    expect(csv.rows.length).toBe(5574);
    expect(tally(col(tsv, 'column_1'))).toEqual({ ham: 4827, spam: 747 });
    expect(tally(col(csv, 'label'))).toEqual({ ham: 4827, spam: 747 });
    expect(col(tsv, 'column_2')).toEqual(col(csv, 'text'));
    const guess = guessColumns(tsv);
    expect([guess.text, guess.label, guess.multiLabel]).toEqual(['column_2', 'column_1', false]);
  });
});

describe('sst2', () => {
  it('train.tsv: 67,349 rows, 1: 37,569 / 0: 29,780, equal to sst2_train.csv', async () => {
    const tsv = await parseFile(dataPath('sst2/train.tsv'));
    const csv = await parseTable(readBytes(dataPath('sst2/sst2_train.csv')), { fileName: 'sst2_train.csv' });
    expect(tsv.columns).toEqual(['sentence', 'label']);
    expect(tsv.rows.length).toBe(67349);
    expect(labelCounts(buildLabels(col(tsv, 'label')))).toEqual({ '0': 29780, '1': 37569 });
    expect(col(tsv, 'sentence')).toEqual(col(csv, 'text'));
    expect(col(tsv, 'label')).toEqual(col(csv, 'label'));
    expect(col(tsv, 'sentence')[0]).toBe('hide new secretions from the parental units '); // trailing space kept
  });
});

describe('rte', () => {
  it('train.tsv (quotes are plain text): 2,490 rows, entailment 1,249 / not_entailment 1,241, equal to rte_train.csv', async () => {
    const tsv = await parseFile(dataPath('rte/train.tsv'));
    const csv = await parseFile(dataPath('rte/rte_train.csv'));
    expect(tsv.quoting).toBe('none');
    expect(tsv.rows.length).toBe(2490);
    expect(tally(col(tsv, 'label'))).toEqual({ entailment: 1249, not_entailment: 1241 });
    for (const c of ['sentence1', 'sentence2', 'label']) expect(col(tsv, c)).toEqual(col(csv, c));
    expect(col(tsv, 'index')).toEqual(col(csv, 'idx'));
    const guess = guessColumns(tsv);
    expect([guess.text, guess.textPair, guess.label]).toEqual(['sentence1', 'sentence2', 'label']);
  });
});

// PROVENANCE.md per-label counts, train / dev
const GOEMOTIONS: Record<string, [number, number]> = {
  neutral: [14219, 1766],
  admiration: [4130, 488],
  approval: [2939, 397],
  gratitude: [2662, 358],
  annoyance: [2470, 303],
  amusement: [2328, 303],
  curiosity: [2191, 248],
  love: [2086, 252],
  disapproval: [2022, 292],
  optimism: [1581, 209],
  anger: [1567, 195],
  joy: [1452, 172],
  confusion: [1368, 152],
  sadness: [1326, 143],
  disappointment: [1269, 163],
  realization: [1110, 127],
  caring: [1087, 153],
  surprise: [1060, 129],
  excitement: [853, 96],
  disgust: [793, 97],
  desire: [641, 77],
  fear: [596, 90],
  remorse: [545, 68],
  embarrassment: [303, 35],
  nervousness: [164, 21],
  relief: [153, 18],
  pride: [111, 15],
  grief: [77, 13],
};

describe('goemotions', () => {
  const names = readFileSync(dataPath('goemotions/emotions.txt'), 'utf8').trim().split('\n');
  for (const [split, k, rows, perRow] of [
    ['train', 0, 43410, [36308, 6541, 532, 28, 1]],
    ['dev', 1, 5426, [4548, 809, 62, 7, 0]],
  ] as const) {
    it(`${split}.tsv (quoted, headerless) and goemotions_${split}.csv: ${rows} rows, per-label counts`, async () => {
      const tsv = await parseFile(dataPath(`goemotions/${split}.tsv`));
      const csv = await parseFile(dataPath(`goemotions/goemotions_${split}.csv`));
      expect([tsv.quoting, tsv.hasHeader, tsv.columns.length]).toEqual(['rfc4180', false, 3]);
      expect(tsv.rows.length).toBe(rows);
      expect(csv.rows.length).toBe(rows);
      const guess = guessColumns(tsv);
      expect([guess.text, guess.label, guess.multiLabel]).toEqual(['column_1', 'column_2', true]);
      const fromIds = buildLabels(col(tsv, 'column_2'), { multiLabel: true, names });
      const fromNames = buildLabels(col(csv, 'labels'), { multiLabel: true });
      const expected = Object.fromEntries(Object.entries(GOEMOTIONS).map(([n, c]) => [n, c[k]]));
      expect(labelCounts(fromIds)).toEqual(expected);
      expect(labelCounts(fromNames)).toEqual(expected);
      expect(fromIds.id2label).toEqual(names);
      const hist = [1, 2, 3, 4, 5].map((n) => fromIds.rowLabels.filter((l) => l.length === n).length);
      expect(hist).toEqual(perRow);
      expect(col(tsv, 'column_1')).toEqual(col(csv, 'text'));
      expect(col(tsv, 'column_2')).toEqual(col(csv, 'label_ids'));
      expect(col(tsv, 'column_3')).toEqual(col(csv, 'id'));
    });
  }
});

describe('ag_news', () => {
  it('headerless TSV subset: 10,001 rows, 4 classes as stated', async () => {
    const t = await parseFile(dataPath('ag_news/ag_news_train_subset10k.tsv'));
    expect([t.hasHeader, t.rows.length]).toEqual([false, 10001]);
    expect(tally(col(t, 'column_2'))).toEqual({ 'Sci/Tech': 2538, World: 2509, Business: 2496, Sports: 2458 });
    expect(col(t, 'column_1')[1]).toContain('It #39;s over.'); // remnants kept verbatim
  });
});

describe('imdb', () => {
  it('2,000 balanced reviews, <br /> kept', async () => {
    const blob = new Blob([readBytes(dataPath('imdb/imdb_train_sample2000.csv'))]);
    const t = await parseTable(blob, { fileName: 'imdb_train_sample2000.csv' });
    expect(t.columns).toEqual(['text', 'label', 'rating', 'source_file']);
    expect(tally(col(t, 'label'))).toEqual({ pos: 1000, neg: 1000 });
    // label agrees with the rating encoded in the source file name (pos >= 7, neg <= 4)
    t.rows.forEach(([, label, rating, src]) => {
      expect(src!.endsWith(`_${rating}.txt`)).toBe(true);
      expect(label).toBe(Number(rating) >= 7 ? 'pos' : 'neg');
    });
    expect(col(t, 'text').filter((x) => x.includes('<br />')).length).toBeGreaterThan(1000);
  });
});

describe('squad', () => {
  it('9,380 questions, every answer_start points at answer_text in its context', async () => {
    const t = await parseFile(dataPath('squad/squad_v1.1_dev_rebuilt_minus_xquad.csv'));
    expect(t.rows.length).toBe(9380);
    const [ctx, ans, start] = [col(t, 'context'), col(t, 'answer_text'), col(t, 'answer_start')];
    const bad = ctx.filter((c, i) => c.slice(Number(start[i]), Number(start[i]) + ans[i]!.length) !== ans[i]);
    expect(bad.length).toBe(0);
    expect(new Set(col(t, 'id')).size).toBe(9380);
    const guess = guessColumns(t, 'question-answering');
    expect([guess.text, guess.textPair, guess.label]).toEqual(['question', 'context', 'answer_text']);
  });
});

describe('wnut17', () => {
  // PROVENANCE.md: sentences, tokens, entities per type (B- tags)
  const cases = [
    [
      'wnut17_train.csv',
      3394,
      62730,
      { person: 660, location: 548, group: 264, corporation: 221, product: 142, 'creative-work': 140 },
    ],
    [
      'wnut17_dev.csv',
      1009,
      15733,
      { person: 470, location: 74, group: 39, corporation: 34, product: 114, 'creative-work': 105 },
    ],
  ] as const;
  for (const [file, sentences, tokens, entities] of cases) {
    it(`${file}: ${sentences} sentences, ${tokens} tokens, entity counts`, async () => {
      const t = await parseFile(dataPath('wnut17', file));
      expect(t.rows.length).toBe(sentences);
      const toks = col(t, 'tokens').map((s) => s.split(' '));
      const tags = col(t, 'ner_tags').map((s) => s.split(' '));
      expect(toks.reduce((s, x) => s + x.length, 0)).toBe(tokens);
      toks.forEach((x, i) => expect(x.length).toBe(tags[i]!.length));
      const b = tally(
        tags
          .flat()
          .filter((x) => x.startsWith('B-'))
          .map((x) => x.slice(2)),
      );
      expect(b).toEqual(entities);
      const guess = guessColumns(t, 'token-classification');
      expect([guess.text, guess.label]).toEqual(['tokens', 'ner_tags']);
    });
  }
});
