// Character classes of BERT's BasicTokenizer (HF transformers `tokenization_bert.py`, Google
// `tokenization.py`, HF tokenizers `normalizers/bert.rs`), computed once per code point with
// Unicode property regexes and cached, so the hot loop only reads a typed array.

export const CLS_DROP = 1; // removed by clean_text: U+0000, U+FFFD, any General_Category C* except \t \n \r
export const CLS_SPACE = 2; // becomes ' ' and separates words
export const CLS_CJK = 4; // gets spaces around it (handle_chinese_chars)
export const CLS_PUNCT = 8; // split off as its own word
export const CLS_CASED = 16; // Unicode Cased (Final_Sigma context)
export const CLS_CASE_IGNORABLE = 32; // Unicode Case_Ignorable (Final_Sigma context)
const CLS_KNOWN = 128;

// HF (transformers `_is_control`: category startswith "C"; tokenizers: `char::is_other`) drops
// Cc, Cf, Co, Cs and Cn. Google's tokenization.py drops only Cc/Cf, so a private-use or unassigned
// character is [UNK] there and nothing here; we follow HF because HF checkpoints are what we load.
const RE_OTHER = /^\p{C}$/u;
// Python's whitespace split (str.split) and Rust's char::is_whitespace also separate on U+2028/9.
const RE_SPACE = /^[\p{Zs}\u2028\u2029]$/u;
const RE_PUNCT = /^\p{P}$/u;
const RE_CASED = /^\p{Cased}$/u;
const RE_CASE_IGNORABLE = /^\p{Case_Ignorable}$/u;
export const RE_MN = /\p{Mn}/gu;

// `_is_chinese_char` ranges of tokenization.py (CJK Unified Ideographs + extensions + compatibility).
export function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

function isAsciiPunct(cp: number): boolean {
  return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
}

function computeClass(cp: number): number {
  const ch = String.fromCodePoint(cp);
  let cls = CLS_KNOWN;
  if (cp === 9 || cp === 10 || cp === 13 || cp === 32) cls |= CLS_SPACE;
  else if (cp === 0 || cp === 0xfffd || RE_OTHER.test(ch)) cls |= CLS_DROP;
  else if (RE_SPACE.test(ch)) cls |= CLS_SPACE;
  if (isCjk(cp)) cls |= CLS_CJK;
  if (isAsciiPunct(cp) || RE_PUNCT.test(ch)) cls |= CLS_PUNCT;
  if (RE_CASED.test(ch)) cls |= CLS_CASED;
  if (RE_CASE_IGNORABLE.test(ch)) cls |= CLS_CASE_IGNORABLE;
  return cls;
}

const bmpClass = new Uint8Array(0x10000);
const astralClass = new Map<number, number>();

export function charClass(cp: number): number {
  if (cp < 0x10000) {
    const c = bmpClass[cp]!;
    if (c !== 0) return c;
    const v = computeClass(cp);
    bmpClass[cp] = v;
    return v;
  }
  let v = astralClass.get(cp);
  if (v === undefined) {
    v = computeClass(cp);
    astralClass.set(cp, v);
  }
  return v;
}

/** Code point at UTF-16 index i; a lone surrogate comes back as itself (class Cs: dropped). */
export function codePointAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}

/** Code point ending just before UTF-16 index i (i > 0). */
function codePointBefore(s: string, i: number): number {
  const d = s.charCodeAt(i - 1);
  if (d >= 0xdc00 && d <= 0xdfff && i >= 2) {
    const c = s.charCodeAt(i - 2);
    if (c >= 0xd800 && c <= 0xdbff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return d;
}

/**
 * Unicode Final_Sigma (SpecialCasing.txt), which Python's str.lower() and JS toLowerCase() apply:
 * capital sigma at `i` lower-cases to 'ς' when preceded by a cased letter and not followed by one,
 * skipping case-ignorable characters. Characters clean_text drops are skipped too, because the
 * reference lower-cases the already cleaned text. The context never crosses [lo, hi).
 */
export function isFinalSigma(text: string, i: number, lo: number, hi: number): boolean {
  let j = i;
  let before = false;
  while (j > lo) {
    const cp = codePointBefore(text, j);
    j -= cp > 0xffff ? 2 : 1;
    const cls = charClass(cp);
    if (cls & (CLS_CASE_IGNORABLE | CLS_DROP)) continue;
    before = (cls & CLS_CASED) !== 0;
    break;
  }
  if (!before) return false;
  j = i + 1;
  while (j < hi) {
    const cp = codePointAt(text, j);
    j += cp > 0xffff ? 2 : 1;
    const cls = charClass(cp);
    if (cls & (CLS_CASE_IGNORABLE | CLS_DROP)) continue;
    return (cls & CLS_CASED) === 0;
  }
  return true;
}
