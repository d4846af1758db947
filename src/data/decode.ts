// Byte -> text decoding for data files: BOM handling, binary sniffing, and UTF-8 with a
// windows-1252 fallback, or the decoding the user chose (UTF-8 with replacement characters,
// Windows-1252, Latin-1). Chunk boundaries are cut at complete UTF-8 sequences by hand (rather than
// TextDecoder's stream mode) so a failing chunk can be re-decoded from its exact bytes.
import { DataError, makeWarning, type DataWarning } from './errors';

export type Encoding = 'utf-8' | 'utf-8-bom' | 'windows-1252' | 'latin-1';
/** 'auto': UTF-8, falling back to Windows-1252 on invalid bytes; the others force one decoding. */
export type EncodingChoice = 'auto' | 'utf-8' | 'windows-1252' | 'latin-1';
export const ENCODING_CHOICES: readonly EncodingChoice[] = ['auto', 'utf-8', 'windows-1252', 'latin-1'];

/** Thrown when a non-UTF-8 byte shows up after real UTF-8 text: the caller restarts as windows-1252. */
export class RestartAsWindows1252 extends Error {}

const SNIFF_BYTES = 64 * 1024;
const MAX_CONTROL_SHARE = 0.05; // text files have next to no C0 controls besides \t \n \r

export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (n === 0 || i + n >= b.length) return i;
    for (let k = 1; k <= n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    const c1 = b[i + 1]!;
    // overlong forms and UTF-16 surrogates are invalid (RFC 3629 table)
    if (
      (c === 0xe0 && c1 < 0xa0) ||
      (c === 0xed && c1 > 0x9f) ||
      (c === 0xf0 && c1 < 0x90) ||
      (c === 0xf4 && c1 > 0x8f)
    )
      return i;
    i += n + 1;
  }
  return -1;
}

/** Length of the prefix that ends on a complete UTF-8 sequence (the rest waits for the next chunk). */
function completeUtf8Length(b: Uint8Array): number {
  for (let i = b.length - 1; i >= Math.max(0, b.length - 4); i--) {
    const c = b[i]!;
    if (c < 0x80) return b.length;
    if ((c & 0xc0) === 0x80) continue;
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
    return b.length - i >= need ? b.length : i;
  }
  return b.length;
}

// WHATWG windows-1252 for 0x80-0x9F (the rest equals Latin-1). Done by hand because Node 20's
// TextDecoder('windows-1252') decodes those bytes as Latin-1 C1 controls.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

export function decodeWindows1252(b: Uint8Array): string {
  const parts: string[] = [];
  const step = 8192;
  for (let s = 0; s < b.length; s += step) {
    const n = Math.min(step, b.length - s);
    const codes = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      const c = b[s + i]!;
      codes[i] = c >= 0x80 && c < 0xa0 ? CP1252_HIGH[c - 0x80]! : c;
    }
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join('');
}

/** ISO-8859-1: every byte is the code point of the same value (0x80-0x9F are C1 controls). */
export function decodeLatin1(b: Uint8Array): string {
  const parts: string[] = [];
  const step = 8192;
  for (let s = 0; s < b.length; s += step) parts.push(String.fromCharCode(...b.subarray(s, s + step)));
  return parts.join('');
}

function countByte(b: Uint8Array, end: number, value: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (b[i] === value) n++;
  return n;
}

/** Throws for files that are not text at all (NUL bytes, UTF-16, mostly control characters). */
function sniffBinary(b: Uint8Array): void {
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) {
    throw new DataError(
      'unsupported-encoding',
      'The file is UTF-16 encoded. Save it as UTF-8 (e.g. "CSV UTF-8" in Excel) and try again.',
    );
  }
  const n = Math.min(b.length, SNIFF_BYTES);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i]!;
    if (c === 0) {
      throw new DataError(
        'binary-file',
        `This does not look like a text file (it contains NUL bytes, first at byte ${i}). Upload a CSV, TSV, JSON Lines or .txt file.`,
      );
    }
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f) controls++;
  }
  if (n > 0 && controls / n > MAX_CONTROL_SHARE) {
    throw new DataError(
      'binary-file',
      `This does not look like a text file (${((100 * controls) / n).toFixed(1)}% of its first bytes are control characters). Upload a CSV, TSV, JSON Lines or .txt file.`,
    );
  }
}

export class ChunkDecoder {
  encoding: Encoding = 'utf-8';
  readonly warnings: DataWarning[] = [];
  /** U+FFFD characters in the text when UTF-8 is forced on invalid bytes (or the file has its own). */
  replacements = 0;
  private mode: 'sniff' | 'utf-8' | 'utf-8-lossy' | 'windows-1252' | 'latin-1' = 'sniff';
  private pending: Uint8Array = new Uint8Array(0);
  private sawNonAscii = false;
  private bytesDone = 0;
  private linesDone = 0;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  private readonly cp1252 = { decode: decodeWindows1252 };

  /**
   * `forceWindows1252` (where the first invalid byte was) is set on a restart; `restartable` says
   * whether the caller can re-read the source; `choice` forces a decoding ('auto' detects).
   */
  constructor(
    private readonly forceWindows1252: string | null,
    private readonly restartable: boolean,
    private readonly choice: EncodingChoice = 'auto',
  ) {}

  push(chunk: Uint8Array, final = false): string {
    let b = chunk;
    if (this.pending.length > 0) {
      b = new Uint8Array(this.pending.length + chunk.length);
      b.set(this.pending);
      b.set(chunk, this.pending.length);
    }
    this.pending = new Uint8Array(0);
    if (this.mode === 'sniff') {
      if (b.length < 4 && !final) {
        this.pending = b;
        return '';
      }
      b = this.startFile(b);
    }
    const text = this.decode(b, final);
    this.bytesDone += b.length - this.pending.length;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.linesDone++;
    return text;
  }

  end(): string {
    return this.push(new Uint8Array(0), true);
  }

  private decode(b: Uint8Array, final: boolean): string {
    switch (this.mode) {
      case 'windows-1252':
        return this.cp1252.decode(b);
      case 'latin-1':
        return decodeLatin1(b);
      case 'utf-8-lossy': {
        // Stream mode keeps a sequence cut at the chunk end for the next chunk.
        const text = this.lossy.decode(b, { stream: !final });
        for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) this.replacements++;
        return text;
      }
      default:
        return this.decodeUtf8(b, final);
    }
  }

  private startFile(b: Uint8Array): Uint8Array {
    sniffBinary(b);
    if (this.choice === 'windows-1252' || this.choice === 'latin-1') {
      // The user's choice: no warning, and a UTF-8 BOM's bytes are read as that encoding too.
      this.mode = this.choice;
      this.encoding = this.choice;
      return b;
    }
    if (this.choice === 'utf-8') this.mode = 'utf-8-lossy';
    else this.mode = this.forceWindows1252 !== null ? 'windows-1252' : 'utf-8';
    if (this.forceWindows1252 !== null && this.choice === 'auto') {
      this.encoding = 'windows-1252';
      this.warnings.push(cp1252Warning(`The file is not valid UTF-8 (first invalid byte at ${this.forceWindows1252})`));
    } else if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
      this.encoding = 'utf-8-bom';
      this.bytesDone += 3;
      return b.subarray(3);
    }
    return b;
  }

  private decodeUtf8(b: Uint8Array, final: boolean): string {
    const cut = final ? b.length : completeUtf8Length(b);
    const head = b.subarray(0, cut);
    try {
      const text = this.utf8.decode(head);
      if (text.length !== head.length) this.sawNonAscii = true; // equal lengths <=> pure ASCII
      this.pending = b.slice(cut);
      return text;
    } catch {
      return this.switchToWindows1252(b);
    }
  }

  private switchToWindows1252(b: Uint8Array): string {
    const bad = Math.max(0, firstInvalidUtf8(b));
    let nonAsciiBefore = this.sawNonAscii;
    for (let i = 0; i < bad && !nonAsciiBefore; i++) nonAsciiBefore = b[i]! >= 0x80;
    const where = `byte ${this.bytesDone + bad}, line ${this.linesDone + countByte(b, bad, 0x0a) + 1}`;
    if (nonAsciiBefore) {
      if (this.restartable) throw new RestartAsWindows1252(where);
      this.warnings.push(
        makeWarning(
          'mixed-encoding',
          `The file mixes UTF-8 with another encoding (first non-UTF-8 byte at ${where}). Text before that point was read as UTF-8, the rest as Windows-1252; some characters may be wrong.`,
        ),
      );
    } else {
      this.warnings.push(cp1252Warning(`The file is not valid UTF-8 (first invalid byte at ${where})`));
    }
    this.mode = 'windows-1252';
    this.encoding = 'windows-1252';
    return this.cp1252.decode(b);
  }
}

function cp1252Warning(reason: string): DataWarning {
  return makeWarning(
    'decoded-as-windows-1252',
    `${reason}; it was decoded as Windows-1252 (Western European). If accents or symbols look wrong, re-save the file as UTF-8.`,
  );
}
