// BERT's BasicTokenizer (Google `tokenization.py` BasicTokenizer, HF transformers
// `tokenization_bert.py`, HF tokenizers BertNormalizer + BertPreTokenizer) in one pass over the
// original text, so every normalised character keeps the [start, end) of the original character
// it came from: clean text -> spaces around CJK -> lower-case -> NFD, drop Mn -> split on
// whitespace and punctuation.
import { CLS_CJK, CLS_DROP, CLS_PUNCT, CLS_SPACE, RE_MN, charClass, codePointAt, isFinalSigma } from './unicode';

export interface BasicOptions {
  /** HF `clean_text`: drop control characters, map whitespace to ' '. */
  cleanText: boolean;
  /** HF `handle_chinese_chars` / `tokenize_chinese_chars`. */
  handleChineseChars: boolean;
  lowercase: boolean;
  /** null = follow `lowercase` (HF's default), as in BertNormalizer. */
  stripAccents: boolean | null;
}

/** A whitespace/punctuation-split word after normalisation. */
export interface Word {
  text: string;
  /** Original [start, end) of the whole word (UTF-16 indices). */
  start: number;
  end: number;
  /**
   * null when text[i] came from original index start + i (the common case). Otherwise
   * [origStart, origEnd] pairs, one per UTF-16 unit of `text`.
   */
  map: Int32Array | null;
}

const K_WORD = 0;
const K_DROP = 1;
const K_SPACE = 2;
const K_PUNCT = 3;

const SIGMA = 0x3a3;

function spanMap(units: number, start: number, end: number): Int32Array {
  const map = new Int32Array(2 * units);
  for (let u = 0; u < units; u++) {
    map[2 * u] = start;
    map[2 * u + 1] = end;
  }
  return map;
}

export class BasicTokenizer {
  readonly options: BasicOptions;
  private readonly lower: boolean;
  private readonly strip: boolean;
  private readonly asciiKind = new Uint8Array(128);
  /** Non-ASCII code point -> its lower-cased / accent-stripped form (may be '' or longer). */
  private readonly transformCache = new Map<number, string>();

  // Word under construction: `simple` means text = (lower?)(original.slice(wStart, i)).
  private wStart = -1;
  private simple = true;
  private buf = '';
  private bufMap: number[] = [];

  constructor(options: BasicOptions) {
    this.options = options;
    this.lower = options.lowercase;
    this.strip = options.stripAccents ?? options.lowercase;
    for (let c = 0; c < 128; c++) {
      const cls = charClass(c);
      this.asciiKind[c] =
        cls & CLS_SPACE
          ? K_SPACE
          : cls & CLS_DROP
            ? options.cleanText
              ? K_DROP
              : K_WORD
            : cls & CLS_PUNCT
              ? K_PUNCT
              : K_WORD;
    }
  }

  /** Splits text[start, end) into normalised words, appended to `out`. */
  split(text: string, start: number, end: number, out: Word[]): void {
    const lower = this.lower;
    const clean = this.options.cleanText;
    const cjk = this.options.handleChineseChars;
    const kinds = this.asciiKind;
    this.wStart = -1;
    let i = start;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        const k = kinds[c]!;
        if (k === K_WORD) {
          if (this.wStart < 0) this.begin(i, true);
          else if (!this.simple)
            this.append(lower && c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : text[i]!, i, i + 1);
        } else if (k === K_DROP) {
          if (this.wStart >= 0 && this.simple) this.toComplex(text, i);
        } else {
          this.flush(text, i, out);
          if (k === K_PUNCT) out.push({ text: text[i]!, start: i, end: i + 1, map: null });
        }
        i++;
        continue;
      }
      const cp = codePointAt(text, i);
      const n = cp > 0xffff ? 2 : 1;
      const cls = charClass(cp);
      if (cls & CLS_DROP && clean) {
        if (this.wStart >= 0 && this.simple) this.toComplex(text, i);
      } else if (cls & CLS_SPACE) {
        this.flush(text, i, out);
      } else {
        const isCjk = cjk && (cls & CLS_CJK) !== 0;
        if (isCjk) this.flush(text, i, out);
        this.addChar(text, i, n, cp, cls, start, end, out);
        if (isCjk) this.flush(text, i + n, out);
      }
      i += n;
    }
    this.flush(text, end, out);
  }

  /** Lower-case and accent-strip one code point, as Python's token.lower() + NFD + drop Mn. */
  private transform(cp: number): string {
    let t = this.transformCache.get(cp);
    if (t === undefined) {
      t = String.fromCodePoint(cp);
      if (this.lower) t = t.toLowerCase();
      if (this.strip) t = t.normalize('NFD').replace(RE_MN, '');
      this.transformCache.set(cp, t);
    }
    return t;
  }

  private addChar(
    text: string,
    i: number,
    n: number,
    cp: number,
    cls: number,
    lo: number,
    hi: number,
    out: Word[],
  ): void {
    let t: string;
    if (cp === SIGMA && this.lower) {
      t = isFinalSigma(text, i, lo, hi) ? '\u03c2' : '\u03c3';
      if (this.strip) t = t.normalize('NFD');
    } else {
      t = this.lower || this.strip ? this.transform(cp) : text.slice(i, i + n);
    }
    const unchanged = t.length === n && (n === 1 ? t.charCodeAt(0) === cp : t === text.slice(i, i + n));
    if (unchanged && !(cls & CLS_PUNCT)) {
      if (this.wStart < 0) this.begin(i, true);
      else if (!this.simple) this.append(t, i, i + n);
      return;
    }
    // Classify the *transformed* characters: Python splits punctuation after stripping accents
    // (e.g. U+1FEF GREEK VARIA decomposes to ASCII '`').
    for (let j = 0; j < t.length;) {
      const ocp = codePointAt(t, j);
      const m = ocp > 0xffff ? 2 : 1;
      const piece = m === t.length ? t : t.slice(j, j + m);
      if (charClass(ocp) & CLS_PUNCT) {
        this.flush(text, i, out);
        out.push({ text: piece, start: i, end: i + n, map: unchanged ? null : spanMap(piece.length, i, i + n) });
      } else {
        if (this.wStart < 0) this.begin(i, false);
        else if (this.simple) this.toComplex(text, i);
        this.append(piece, i, i + n);
        if (m === 2) this.bufMap.push(i, i + n);
      }
      j += m;
    }
    if (t.length === 0 && this.wStart >= 0 && this.simple) this.toComplex(text, i);
  }

  private begin(i: number, simple: boolean): void {
    this.wStart = i;
    this.simple = simple;
    if (!simple) {
      this.buf = '';
      this.bufMap = [];
    }
  }

  private append(s: string, origStart: number, origEnd: number): void {
    this.buf += s;
    this.bufMap.push(origStart, origEnd);
  }

  /** Switch the current word to explicit mapping; text[wStart, i) is already in the word. */
  private toComplex(text: string, i: number): void {
    const s = text.slice(this.wStart, i);
    this.buf = this.lower ? s.toLowerCase() : s;
    this.bufMap = [];
    for (let j = this.wStart; j < i; j++) this.bufMap.push(j, j + 1);
    this.simple = false;
  }

  private flush(text: string, i: number, out: Word[]): void {
    if (this.wStart < 0) return;
    if (this.simple) {
      const s = text.slice(this.wStart, i);
      out.push({ text: this.lower ? s.toLowerCase() : s, start: this.wStart, end: i, map: null });
    } else if (this.buf.length > 0) {
      const map = Int32Array.from(this.bufMap);
      out.push({ text: this.buf, start: map[0]!, end: map[map.length - 1]!, map });
    }
    this.wStart = -1;
  }
}
