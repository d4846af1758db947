// Hostile dataset files: each must fail fast with a DataError (or load with a warning), never
// allocate in proportion to the attack, never overflow the stack, never run unbounded.
import Papa from 'papaparse';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DataError, parseTable, type DataSource, type ParseOptions } from '../../../src/data';

async function failure(source: DataSource, opts: ParseOptions = {}): Promise<DataError> {
  const err: unknown = await parseTable(source, opts).then(
    () => null,
    (e: unknown) => e,
  );
  if (err instanceof DataError) return err;
  throw new Error(`expected a DataError, got ${String(err)}`);
}

/** An endless stream of the same chunk, counting how many chunks the parser pulled. */
function endless(chunk: string, head = ''): { source: AsyncIterable<Uint8Array>; pulled: () => number } {
  const bytes = new TextEncoder().encode(chunk);
  let n = 0;
  async function* gen(): AsyncGenerator<Uint8Array> {
    if (head) yield new TextEncoder().encode(head);
    for (;;) {
      n++;
      yield bytes;
    }
  }
  return { source: gen(), pulled: () => n };
}

const MB = 1024 * 1024;

describe('millions of columns', () => {
  afterEach(() => vi.restoreAllMocks());

  /** Widest row papaparse ever returned during `run`: the scanner must stop the row before it. */
  async function widestPapaRow(run: () => Promise<unknown>): Promise<number> {
    const real = Papa.parse.bind(Papa) as (text: string, config: object) => Papa.ParseResult<string[]>;
    let widest = 0;
    vi.spyOn(Papa, 'parse').mockImplementation(((text: string, config: object) => {
      const res = real(text, config);
      for (const row of res.data) widest = Math.max(widest, row.length);
      return res;
    }) as typeof Papa.parse);
    await run();
    return widest;
  }

  // The wide row also breaks header detection (no probe survives it), so rows count from line 1.
  for (const [what, opts, row] of [
    ['no file name', {}, 3],
    ['a .csv name', { fileName: 'wide.csv' }, 3],
  ] as const) {
    it(`a row of 2,000,000 commas fails with too-many-columns (${what}) without splitting it`, async () => {
      const text = `text,label\nhello,pos\n${','.repeat(2_000_000)}\nbye,neg\n`;
      const t0 = performance.now();
      let err: DataError | null = null;
      const widest = await widestPapaRow(async () => {
        err = await failure(new TextEncoder().encode(text), opts);
      });
      const ms = performance.now() - t0;
      expect(err!.code).toBe('too-many-columns');
      expect(err!.message).toMatch(new RegExp(`Row ${row} has (2000001|more than 10000) columns; the limit is 10000`));
      expect(err!.rows).toEqual([row]);
      expect(widest).toBeLessThanOrEqual(10_000);
      expect(ms).toBeLessThan(1_000);
    });
  }

  it('an endless row of tabs or commas (a stream) is cut off after the first chunks', async () => {
    for (const [d, name] of [
      [',', 'x.csv'],
      ['\t', 'x.tsv'],
      [',', undefined],
    ] as const) {
      const { source, pulled } = endless(d.repeat(MB), `a${d}b\n1${d}2\n`);
      const err = await failure(source, { fileName: name });
      expect(err.code).toBe('too-many-columns');
      expect(pulled()).toBeLessThanOrEqual(2);
    }
  });

  it('quoting "none" counts columns the same way (GLUE-style TSV with a huge row)', async () => {
    const tsv = `a\tb\n1\t2\n${'\t'.repeat(50_000)}\n`;
    const err = await failure(tsv, { fileName: 'x.tsv', quoting: 'none', hasHeader: true });
    expect([err.code, err.rows]).toEqual(['too-many-columns', [2]]);
    expect(err.message).toMatch(/Row 2 has 50001 columns/);
  });

  it('delimiters inside a quoted field are text, not columns', async () => {
    const t = await parseTable(`text,label\n"${','.repeat(50_000)}",pos\n`);
    expect(t.rows).toEqual([[','.repeat(50_000), 'pos']]);
  });
});

describe('extremely long fields and lines', () => {
  it('an endless quoted field, unquoted field, text line or JSON line stops at the cap', async () => {
    const cases: [string, string, string | undefined, RegExp][] = [
      ['"', 'text,label\n', 'x.csv', /longer than 1,000,000 characters/],
      ['x', 'text,label\n', 'x.csv', /longer than 1,000,000 characters/],
      ['x', 'first line\n', 'x.txt', /Line 2 is longer than 1,000,000/],
      ['x', '{"text":"a","label":"b"}\n{"text":"', 'x.jsonl', /Line 2 is longer than 16,000,000/],
    ];
    for (const [fill, head, name, message] of cases) {
      const { source, pulled } = endless(fill.repeat(MB), head);
      const err = await failure(source, { fileName: name });
      expect([name, err.code]).toEqual([name, 'field-too-long']);
      expect(err.message).toMatch(message);
      expect(pulled()).toBeLessThanOrEqual(18);
    }
  });

  it('a field just under the cap is kept whole', async () => {
    const long = 'y'.repeat(999_000);
    const t = await parseTable(`text,label\n"${long}",pos\nshort,neg\n`);
    expect(t.rows.map((r) => r[0]!.length)).toEqual([999_000, 5]);
  });
});

describe('deeply nested JSON', () => {
  const deep = (n: number): string => `{"text":"a","label":${'['.repeat(n)}1${']'.repeat(n)}}\n`;

  it('depth 10,000 is refused by the depth count before JSON.parse runs', async () => {
    const parse = vi.spyOn(JSON, 'parse');
    const err = await failure(`{"text":"ok","label":"a"}\n${deep(10_000)}`, { fileName: 'x.jsonl' });
    expect([err.code, err.rows]).toEqual(['json-too-deep', [2]]);
    expect(parse.mock.calls.some(([s]) => typeof s === 'string' && s.length > 20_000)).toBe(false);
    parse.mockRestore();
  });

  it('with the depth cap lifted, a stack overflow while reading still becomes json-too-deep', async () => {
    // V8's JSON.parse is iterative but turning the value back into cell text recurses.
    const err = await failure(deep(100_000), { fileName: 'x.jsonl', limits: { maxJsonDepth: Infinity } });
    expect(err.code).toBe('json-too-deep');
    expect(err.message).toMatch(/Line 1 nests objects\/arrays too deeply to read/);
  });

  it('depth counting ignores brackets inside strings', async () => {
    const t = await parseTable(`{"text":"${'['.repeat(5_000)}","label":"a"}\n`, { fileName: 'x.jsonl' });
    expect(t.rows).toEqual([['['.repeat(5_000), 'a']]);
  });
});

describe('invalid UTF-8', () => {
  const bytes = (...parts: (string | number[])[]): Uint8Array =>
    Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...new TextEncoder().encode(p)] : p)));

  it('overlong forms, surrogates, stray continuation bytes and a cut-off sequence fall back to windows-1252', async () => {
    const cases: [string, Uint8Array, string][] = [
      ['overlong slash', bytes('text,label\na', [0xc0, 0xaf], 'b,x\n'), 'aÀ¯b'],
      ['encoded surrogate', bytes('text,label\na', [0xed, 0xa0, 0x80], ',x\n'), 'aí\u00a0€'],
      ['stray continuation', bytes('text,label\n', [0x80], 'a,x\n'), '€a'],
      ['cut-off at end of file', bytes('text,label\na,x\nb', [0xe2, 0x82], ',y\n'), 'bâ‚'],
    ];
    for (const [what, input, expected] of cases) {
      const t = await parseTable(input);
      expect([what, t.encoding]).toEqual([what, 'windows-1252']);
      expect(t.warnings.map((w) => w.code)).toContain('decoded-as-windows-1252');
      expect(t.rows.map((r) => r[0])).toContain(expected);
    }
  });

  it('a cut-off sequence at the very end of a stream is decoded, not dropped', async () => {
    async function* once(): AsyncGenerator<Uint8Array> {
      yield bytes('text,label\nok,a\nend', [0xe2]);
    }
    const t = await parseTable(once());
    expect(t.rows.at(-1)).toEqual(['endâ']);
  });
});
