// CoNLL and token/tag-list tables: the real WNUT-17 files (counts from their PROVENANCE.md) and
// hand-made edge cases (-DOCSTART-, CRLF, extra columns, JSON lists, mismatched rows).
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  DataError,
  parseConll,
  parseTable,
  parseTokenList,
  taggedSentencesFromTable,
  tagList,
} from '../../../src/data';
import { sharedPath } from '../shared';

const wnut = (f: string): string => sharedPath('data', 'wnut17', f);

async function table(file: string) {
  return parseTable(new Uint8Array(await readFile(file)), { fileName: file });
}

describe('parseConll', () => {
  it.each([
    ['wnut17train.conll', 'wnut17_train.csv', 3394, 62730, 1975],
    ['emerging.dev.conll', 'wnut17_dev.csv', 1009, 15733, 836],
  ])('%s: sentences, tokens and entities as PROVENANCE.md; same as %s', async (conll, csv, nSent, nTok, nEnt) => {
    const s = parseConll(await readFile(wnut(conll), 'utf8'));
    expect(s.length).toBe(nSent);
    expect(s.reduce((a, x) => a + x.tokens.length, 0)).toBe(nTok);
    expect(s.reduce((a, x) => a + x.tags.filter((t) => t.startsWith('B-')).length, 0)).toBe(nEnt);
    const fromCsv = taggedSentencesFromTable(await table(wnut(csv)), 'tokens', 'ner_tags');
    expect(fromCsv).toEqual(s);
  });

  it('builds the 13-tag WNUT set, sorted as run_ner sorts', async () => {
    const s = parseConll(await readFile(wnut('wnut17train.conll'), 'utf8'));
    const tags = tagList(s);
    expect(tags).toHaveLength(13);
    expect(tags[0]).toBe('B-corporation');
    expect(tags[12]).toBe('O');
  });

  it('handles -DOCSTART-, CRLF, a BOM, extra columns and whitespace-only separators', () => {
    const text =
      '\uFEFF-DOCSTART- -X- -X- O\r\n\r\nEU NNP B-NP B-ORG\r\nrejects VBZ B-VP O\r\n \t\r\nPeter NNP B-NP B-PER\r\n-DOCSTART- -X- O\nBlackburn NNP B-NP B-PER\n';
    expect(parseConll(text)).toEqual([
      { tokens: ['EU', 'rejects'], tags: ['B-ORG', 'O'] },
      { tokens: ['Peter'], tags: ['B-PER'] },
      { tokens: ['Blackburn'], tags: ['B-PER'] },
    ]);
    expect(parseConll('EU NNP B-NP B-ORG\n', { tagColumn: 2 })).toEqual([{ tokens: ['EU'], tags: ['B-NP'] }]);
  });

  it('names the lines that have no tag', () => {
    try {
      parseConll('a\tO\nb\n\nc\tO\nd\n');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DataError);
      expect((e as DataError).code).toBe('conll-format');
      expect((e as DataError).rows).toEqual([2, 5]);
    }
  });
});

describe('token lists in tables', () => {
  it('reads JSON lists, space-joined lists and ClassLabel ids', async () => {
    expect(parseTokenList('["New", "York", "\\"NY\\""]')).toEqual(['New', 'York', '"NY"']);
    expect(parseTokenList(' New  York ')).toEqual(['New', 'York']);
    expect(parseTokenList('[citation')).toEqual(['[citation']);
    const t = await parseTable(new TextEncoder().encode('toks,tags\n"a b c","0 1 2"\n'), { fileName: 'x.csv' });
    expect(taggedSentencesFromTable(t, 'toks', 'tags', ['O', 'B-X', 'I-X'])).toEqual([
      { tokens: ['a', 'b', 'c'], tags: ['O', 'B-X', 'I-X'] },
    ]);
  });

  it('rejects rows whose token and tag counts differ, and unknown columns', async () => {
    const t = await parseTable(new TextEncoder().encode('toks,tags\na b,O O\na b c,O O\n'), { fileName: 'x.csv' });
    expect(() => taggedSentencesFromTable(t, 'toks', 'tags')).toThrow(/rows 2\)/);
    expect(() => taggedSentencesFromTable(t, 'tokens', 'tags')).toThrow(/no column "tokens"/);
  });
});
