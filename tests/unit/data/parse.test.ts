// parseTable on strings, bytes, Blobs and chunk streams: identical results whatever the chunking,
// progress reported in bytes, and the layout cases (quoting, header, delimiters, formats).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTable, type ParseProgress } from '../../../src/data';
import { dataPath, fixturePath, parseFile, readBytes } from './helpers';

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

describe('streaming', () => {
  it('quoted GoEmotions TSV in 4 KB chunks equals the one-string parse, with byte progress', async () => {
    const bytes = readBytes(dataPath('goemotions/dev.tsv'));
    const whole = await parseTable(new TextDecoder().decode(bytes));
    const progress: ParseProgress[] = [];
    const streamed = await parseTable(chunked(bytes, 4096), {}, (p) => progress.push(p));
    expect(streamed.rows).toEqual(whole.rows);
    expect(streamed.rows.length).toBe(5426);
    expect(progress.length).toBe(Math.ceil(bytes.length / 4096));
    expect(progress.at(-1)).toEqual({ bytesDone: bytes.length, bytesTotal: null });
    expect(progress.every((p, i) => i === 0 || p.bytesDone > progress[i - 1]!.bytesDone)).toBe(true);
  });

  it('Blob sources report the total size; multi-byte characters split across chunks survive', async () => {
    const text =
      'text,label\n' + Array.from({ length: 3000 }, (_, i) => `naïve “café” ${i} 😀,${i % 3}`).join('\n') + '\n';
    const bytes = new TextEncoder().encode(text);
    const seen: ParseProgress[] = [];
    const fromBlob = await parseTable(new Blob([bytes]), {}, (p) => seen.push(p));
    expect(seen.at(-1)).toEqual({ bytesDone: bytes.length, bytesTotal: bytes.length });
    const odd = await parseTable(chunked(bytes, 7));
    expect(odd.rows).toEqual(fromBlob.rows);
    expect(odd.rows[2999]).toEqual(['naïve “café” 2999 😀', '2']);
  });

  it('the unquoted SMS file parses the same from a Uint8Array and from 1 KB chunks', async () => {
    const bytes = readBytes(dataPath('sms_spam/SMSSpamCollection'));
    const a = await parseTable(bytes);
    const b = await parseTable(chunked(bytes, 1000));
    expect(b.rows).toEqual(a.rows);
    expect(a.rows.length).toBe(5574);
  });
});

describe('layout detection', () => {
  it('unquoted TSV: quotes stay ordinary text, even at the start of a field', async () => {
    const t = await parseFile(fixturePath('unquoted.tsv'));
    expect([t.quoting, t.hasHeader, t.columns]).toEqual(['none', true, ['sentence', 'label']]);
    expect(t.rows.map((r) => r[0])).toEqual([
      'he said "no" twice',
      '"quoted start and more words',
      'a plain one',
      '"a""b" both',
      'end "quote',
    ]);
  });

  it('quoted headerless TSV: quotes removed, doubled quotes and tabs inside quotes kept', async () => {
    const t = await parseFile(fixturePath('quoted_headerless.tsv'));
    expect([t.quoting, t.hasHeader, t.delimiter]).toEqual(['rfc4180', false, '\t']);
    expect(t.rows.map((r) => r[0])).toEqual([
      'He said "hi" to me',
      'plain text here',
      'tab\tinside quotes',
      'another one',
    ]);
  });

  it('CRLF files: a quoted multi-line field keeps its newline, row ends are stripped', async () => {
    const t = await parseFile(fixturePath('crlf_multiline.csv'));
    expect(t.rows).toEqual([
      ['line one\r\nline two', 'pos'],
      ['single', 'neg'],
    ]);
    const mixed = await parseTable('a,b\r\n"x ""q""",1\n"y",2\r\nz,3\n');
    expect(mixed.rows).toEqual([
      ['x "q"', '1'],
      ['y', '2'],
      ['z', '3'],
    ]);
  });

  it('semicolon delimiter; .txt one example per line; JSON Lines', async () => {
    const semi = await parseFile(fixturePath('semicolon.csv'));
    expect([semi.delimiter, semi.rows[0]]).toEqual([';', ['Bonjour, le monde', 'pos']]);
    const txt = await parseFile(fixturePath('lines.txt'));
    expect([txt.format, txt.columns, txt.rows]).toEqual([
      'txt',
      ['text'],
      [['first example, with a comma'], ['second example'], ['third, with, commas']],
    ]);
    expect(txt.warnings.map((w) => w.code)).toEqual(['blank-lines-skipped']);
    const j = await parseFile(fixturePath('good.jsonl'));
    expect([j.format, j.columns]).toEqual(['jsonl', ['text', 'label', 'meta', 'score']]);
    expect(j.rows).toEqual([
      ['I liked it', 'pos', '{"src":"web"}', ''],
      ['No', 'neg', '', '3'],
      ['"quoted" text', '["pos","neg"]', '', ''],
    ]);
    expect(j.warnings.find((w) => w.code === 'missing-fields')?.rows).toEqual([1, 2, 3]);
  });

  it('header detection: names vs data', async () => {
    expect((await parseTable('label\ttext\nham\thello there\nspam\twin a prize now\nham\tok\n')).hasHeader).toBe(true);
    expect((await parseTable('ham\thello there my friend\nspam\twin a prize now\nham\tok see you\n')).hasHeader).toBe(
      false,
    );
    expect((await parseTable('review,stars\ngreat,5\nbad,1\n')).hasHeader).toBe(true);
    expect((await parseTable('I loved this film so much,5\nbad movie really bad,1\n')).hasHeader).toBe(false);
    const forced = await parseTable('a,b\nc,d\n', { hasHeader: false });
    expect([forced.columns, forced.rows.length]).toEqual([['column_1', 'column_2'], 2]);
  });

  it('duplicate and empty header names are renamed with a warning', async () => {
    const t = await parseTable('text,text,\nx,y,z\n', { hasHeader: true });
    expect(t.columns).toEqual(['text', 'text_2', 'column_3']);
    expect(t.warnings.map((w) => w.code)).toEqual(['renamed-columns']);
  });

  it('the SQuAD CSV (mixed LF / CRLF row endings) reads identically from a string', async () => {
    const text = readFileSync(dataPath('squad/squad_v1.1_dev_rebuilt_minus_xquad.csv'), 'utf8');
    const t = await parseTable(text);
    expect(t.rows.length).toBe(9380);
    expect(t.rows.every((r) => !r[6]!.endsWith('\r'))).toBe(true);
  });
});
