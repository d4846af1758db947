// The user's encoding choice: Latin-1 and Windows-1252 differ exactly on bytes 0x80-0x9F; UTF-8
// forced on an invalid file gives replacement characters with a warning naming the rows; the
// inspect CLI takes --encoding.
import { describe, expect, it } from 'vitest';
import { decodeLatin1, decodeWindows1252, parseTable, type EncodingChoice } from '../../../src/data';
import { runInspect } from './helpers';

/** WHATWG windows-1252 index for 0x80-0x9F (https://encoding.spec.whatwg.org/index-windows-1252.txt). */
const WHATWG_1252: Record<number, number> = {
  0x80: 0x20ac,
  0x82: 0x201a,
  0x83: 0x0192,
  0x84: 0x201e,
  0x85: 0x2026,
  0x86: 0x2020,
  0x87: 0x2021,
  0x88: 0x02c6,
  0x89: 0x2030,
  0x8a: 0x0160,
  0x8b: 0x2039,
  0x8c: 0x0152,
  0x8e: 0x017d,
  0x91: 0x2018,
  0x92: 0x2019,
  0x93: 0x201c,
  0x94: 0x201d,
  0x95: 0x2022,
  0x96: 0x2013,
  0x97: 0x2014,
  0x98: 0x02dc,
  0x99: 0x2122,
  0x9a: 0x0161,
  0x9b: 0x203a,
  0x9c: 0x0153,
  0x9e: 0x017e,
  0x9f: 0x0178,
};

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

/** A small CSV in Windows-1252: “quoted” (0x93 0x94), café (0xE9), 5 € (0x80), and a plain row. */
const CP1252_CSV = bytes(
  'text,label\n',
  [0x93],
  'great',
  [0x94],
  ' film,pos\n',
  'caf',
  [0xe9],
  ' was bad,neg\n',
  'costs 5 ',
  [0x80],
  ',neg\n',
  'plain text,pos\n',
);

const parse = (encoding: EncodingChoice, src: Uint8Array = CP1252_CSV) =>
  parseTable(src, { fileName: 'x.csv', encoding });

describe('Latin-1 vs Windows-1252', () => {
  it('differ on every byte 0x80-0x9F and agree on every other byte', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const latin = decodeLatin1(all);
    const cp = decodeWindows1252(all);
    for (let b = 0; b < 256; b++) {
      expect(latin.charCodeAt(b)).toBe(b);
      // Undefined windows-1252 bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 control, as WHATWG does.
      expect(cp.charCodeAt(b)).toBe(WHATWG_1252[b] ?? b);
    }
    const differ = [...Array(256).keys()].filter((b) => latin[b] !== cp[b]);
    expect(differ).toEqual(Object.keys(WHATWG_1252).map(Number));
  });

  it('the same file read three ways', async () => {
    const auto = await parse('auto');
    expect(auto.encoding).toBe('windows-1252');
    expect(auto.warnings.map((w) => w.code)).toContain('decoded-as-windows-1252');
    expect(auto.rows.map((r) => r[0])).toEqual(['“great” film', 'café was bad', 'costs 5 €', 'plain text']);

    // Chosen by the user: the same text, and no warning about a guess.
    const cp = await parse('windows-1252');
    expect(cp.encoding).toBe('windows-1252');
    expect(cp.rows).toEqual(auto.rows);
    expect(cp.warnings).toEqual([]);

    // Latin-1: é is the same, but 0x93 0x94 0x80 are C1 controls, which the parser flags.
    const latin = await parse('latin-1');
    expect(latin.encoding).toBe('latin-1');
    expect(latin.rows.map((r) => r[0])).toEqual([
      '\u0093great\u0094 film',
      'café was bad',
      'costs 5 \u0080',
      'plain text',
    ]);
    const c1 = latin.warnings.find((w) => w.code === 'control-characters');
    expect(c1).toMatchObject({ count: 2, rows: [1, 3] });
  });

  it('UTF-8 forced on a Windows-1252 file: one U+FFFD per bad byte, counted, with the rows', async () => {
    const t = await parse('utf-8');
    expect(t.encoding).toBe('utf-8');
    expect(t.rows.map((r) => r[0])).toEqual([
      '\uFFFDgreat\uFFFD film',
      'caf\uFFFD was bad',
      'costs 5 \uFFFD',
      'plain text',
    ]);
    const w = t.warnings.find((x) => x.code === 'utf-8-replacement');
    expect(w).toMatchObject({ rows: [1, 2, 3], count: 3 });
    expect(w!.message).toMatch(/^4 invalid UTF-8 byte sequence\(s\) were replaced .* in 3 row\(s\): 1, 2, 3\./);
    expect(t.warnings.map((x) => x.code)).not.toContain('decoded-as-windows-1252');
  });

  it('UTF-8 forced on valid UTF-8 (with a BOM) changes nothing, even with a character cut by a chunk boundary', async () => {
    // Chunks are 4 MiB: put a 4-byte emoji across the first boundary.
    const cut = 4 * 1024 * 1024 - 2;
    const head = '\uFEFFtext,label\n';
    const filler = 'naïve “quote”,pos\n';
    const len = (x: string) => new TextEncoder().encode(x).length;
    const k = Math.floor((cut - len(head) - 1) / len(filler));
    const pad = 'y'.repeat(cut - len(head) - k * len(filler));
    const text = head + filler.repeat(k) + `${pad}😀,pos\n` + filler.repeat(3);
    const utf8 = new TextEncoder().encode(text);
    expect(len(head + filler.repeat(k) + pad)).toBe(cut);
    const auto = await parse('auto', utf8);
    const forced = await parse('utf-8', utf8);
    expect(forced.encoding).toBe('utf-8-bom');
    expect(forced.warnings).toEqual(auto.warnings);
    expect(forced.rows).toEqual(auto.rows);
    expect(forced.rows.length).toBe(k + 4);
    expect(forced.rows[k]).toEqual([`${pad}😀`, 'pos']);
    expect(forced.rows[0]).toEqual(['naïve “quote”', 'pos']);
  });
});

describe('inspect --encoding', () => {
  it('reads the file with the chosen encoding and rejects an unknown one', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'enc-')), 'cp1252.csv');
    fs.writeFileSync(file, CP1252_CSV);
    const latin = JSON.parse((await runInspect([file, '--encoding', 'latin-1'])).out) as Record<string, unknown>;
    expect(latin).toMatchObject({ encoding: 'latin-1', encoding_choice: 'latin-1', rows: 4 });
    const utf8 = JSON.parse((await runInspect([file, '--encoding', 'utf-8'])).out) as { warnings: { code: string }[] };
    expect(utf8.warnings.map((w) => w.code)).toContain('utf-8-replacement');
    const auto = JSON.parse((await runInspect([file])).out) as Record<string, unknown>;
    expect(auto).toMatchObject({ encoding: 'windows-1252', encoding_choice: 'auto' });
    const bad = await runInspect([file, '--encoding', 'ebcdic']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(
      /^error \[bad-encoding\]: .*--encoding must be one of auto, utf-8, windows-1252, latin-1 \(got ebcdic\)\n$/,
    );
  });
});
