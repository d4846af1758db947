// The broken-file corpus in tests/fixtures/data: each file fails with its own code and a message
// that names the problem (and rows where there are rows), or loads with the right warning.
import { describe, expect, it } from 'vitest';
import { DataError, checkDataset, datasetRows, parseTable, type ParseOptions } from '../../../src/data';
import { dataPath, fixturePath, parseFile, readBytes } from './helpers';

async function failure(file: string, opts: ParseOptions = {}): Promise<DataError> {
  try {
    await parseFile(file, opts);
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error(`${file} parsed without an error`);
}

describe('broken files get a specific error', () => {
  const cases: [string, string, RegExp, number[]][] = [
    ['empty.csv', 'empty-file', /empty/, []],
    ['whitespace_only.txt', 'empty-file', /empty/, []],
    ['header_only.csv', 'header-only', /header row \(text, label\) but no data rows/, []],
    ['unbalanced_quotes.csv', 'unbalanced-quotes', /never closed at line 2 \(data row 1\)/, [1]],
    ['malformed_quotes.csv', 'malformed-quotes', /text after its closing quote at line 2/, [1]],
    ['mixed_delimiters.csv', 'mixed-delimiters', /most rows use "," but 2 row\(s\) use tab \(rows 3, 5\)/, [3, 5]],
    ['inconsistent_fields.csv', 'inconsistent-field-count', /Expected 2 fields .* row 2 has 3: rows 2, 4/, [2, 4]],
    ['binary_garbage.bin', 'binary-file', /NUL bytes/, []],
    ['binary_no_nul.dat', 'binary-file', /control characters/, []],
    ['utf16.csv', 'unsupported-encoding', /UTF-16/, []],
    ['too_many_columns.csv', 'too-many-columns', /10001 columns; the limit is 10000/, [1]],
    ['deep_nested.jsonl', 'json-too-deep', /Line 2 nests .* more than 64 levels/, [2]],
    ['invalid_json.jsonl', 'invalid-json', /2 line\(s\) are not valid JSON: lines 2, 4/, [2, 4]],
    ['json_array.json', 'unsupported-format', /JSON Lines/, []],
  ];
  for (const [file, code, message, rows] of cases) {
    it(`${file} -> ${code}`, async () => {
      const err = await failure(fixturePath(file));
      expect(err.code).toBe(code);
      expect(err.message).toMatch(message);
      expect(err.rows).toEqual(rows);
    });
  }

  it('a field over the cap -> field-too-long (fixture with a lowered cap, and the default 1 MB cap)', async () => {
    const err = await failure(fixturePath('very_long_field.csv'), { limits: { maxFieldChars: 65_536 } });
    expect([err.code, err.rows]).toEqual(['field-too-long', [2]]);
    expect(err.message).toMatch(/longer than 65,536 characters/);
    const huge = `text,label\nok,pos\n${'a'.repeat(1_200_000)},neg\n`;
    const e2 = await parseTable(huge).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(DataError);
    expect((e2 as DataError).code).toBe('field-too-long');
    // within the cap the same file loads, field intact
    const t = await parseFile(fixturePath('very_long_field.csv'));
    expect(t.rows[1]![0]!.length).toBe(70_000);
  });

  it('an unclosed quote early in a big file is never silently merged into one huge field', async () => {
    const text = `text,label\n"oops,pos\n${'fine row,neg\n'.repeat(200_000)}`;
    // the quoted reading hits the field cap at once; the plain reading is consistent, so it is used with a warning
    const t = await parseTable(text, { limits: { maxFieldChars: 100_000 } });
    expect([t.rows.length, t.quoting, t.rows[0]]).toEqual([200_001, 'none', ['"oops', 'pos']]);
    expect(t.warnings[0]!.code).toBe('quoting-fallback');
    expect(t.warnings[0]!.message).toMatch(/line 2 is longer than 100,000 characters/);
    // a stream cannot be re-read: the error surfaces
    const once = (async function* () {
      yield new TextEncoder().encode(text);
    })();
    const err = (await parseTable(once, { limits: { maxFieldChars: 100_000 } }).then(
      () => null,
      (e: unknown) => e,
    )) as DataError;
    expect(err.code).toBe('field-too-long');
  });

  it('forcing RFC 4180 quoting on the unquoted RTE TSV errors instead of merging rows (2,490 -> 1,460)', async () => {
    const err = await failure(dataPath('rte/train.tsv'), { quoting: 'rfc4180' });
    expect(['malformed-quotes', 'unbalanced-quotes', 'inconsistent-field-count']).toContain(err.code);
    expect(err.rows.length).toBeGreaterThan(0);
  });
});

describe('odd but readable files load with a warning', () => {
  it('cp1252 bytes -> decoded as windows-1252, with a warning naming the first bad byte', async () => {
    const t = await parseFile(fixturePath('cp1252.csv'));
    expect(t.encoding).toBe('windows-1252');
    expect(t.rows.map((r) => r[0])).toEqual(['café crème is great', '“smart quotes” – and a dash', 'plain ascii']);
    const w = t.warnings.find((x) => x.code === 'decoded-as-windows-1252');
    expect(w?.message).toMatch(/byte 14, line 2/);
  });

  it('cp1252 after UTF-8 text restarts the whole file as windows-1252 (restartable sources)', async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('text,label\n'),
      0xc3,
      0xa9,
      0x2c,
      0x61,
      0x0a,
      0xe9,
      0x2c,
      0x62,
      0x0a,
    ]);
    const t = await parseTable(bytes);
    expect(t.encoding).toBe('windows-1252');
    expect(t.rows).toEqual([
      ['Ã©', 'a'],
      ['é', 'b'],
    ]);
    // a one-shot stream cannot restart: it says the file mixes encodings
    const once = await parseTable(
      (async function* () {
        yield bytes.slice(0, 16);
        yield bytes.slice(16);
      })(),
    );
    expect(once.warnings.map((w) => w.code)).toContain('mixed-encoding');
    expect(once.rows).toEqual([
      ['é', 'a'],
      ['é', 'b'],
    ]);
  });

  it('one class -> single-class warning from checkDataset', async () => {
    const t = await parseFile(fixturePath('one_class.csv'));
    const w = checkDataset(datasetRows(t, { text: 'text', label: 'label' }));
    expect(w.map((x) => x.code)).toEqual(['single-class']);
    expect(w[0]!.message).toMatch(/"pos"/);
  });

  it('UTF-8 BOM is detected and stripped from the first column name', async () => {
    const t = await parseTable(readBytes(fixturePath('utf8_bom.csv')));
    expect([t.encoding, t.columns[0], t.rows[0]![0]]).toEqual(['utf-8-bom', 'text', 'naïve café']);
    const s = await parseTable('\ufefftext,label\nx,y\n');
    expect([s.encoding, s.columns]).toEqual(['utf-8-bom', ['text', 'label']]);
  });
});
