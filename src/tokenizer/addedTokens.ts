// Splitting the raw text on special ("never split") tokens before normalisation, as HF does:
// transformers' PreTrainedTokenizer.tokenize (trie over added tokens) and tokenizers'
// AddedVocabulary (leftmost-longest match on the original text for `normalized: false` tokens).
// So "[MASK]" typed in a sentence stays one token; matching is case-sensitive ("[mask]" is text).

export interface TextSegment {
  start: number;
  end: number;
  /** Id of the special token covering [start, end), or -1 for ordinary text. */
  tokenId: number;
}

export class AddedTokenSplitter {
  private readonly byFirstChar = new Map<string, { content: string; id: number }[]>();
  private readonly firstChars: string[];

  constructor(tokens: ReadonlyArray<{ content: string; id: number }>) {
    for (const t of tokens) {
      if (t.content.length === 0) continue;
      const c = t.content[0]!;
      const list = this.byFirstChar.get(c) ?? [];
      list.push(t);
      this.byFirstChar.set(c, list);
    }
    for (const list of this.byFirstChar.values()) list.sort((a, b) => b.content.length - a.content.length);
    this.firstChars = [...this.byFirstChar.keys()];
  }

  get empty(): boolean {
    return this.firstChars.length === 0;
  }

  /** Segments covering the text in order: ordinary text between special tokens, and the tokens. */
  split(text: string): TextSegment[] {
    const out: TextSegment[] = [];
    // Next occurrence of each first character, refreshed only once passed (keeps the scan linear).
    const next = this.firstChars.map((c) => text.indexOf(c));
    let last = 0;
    let from = 0;
    for (;;) {
      let i = -1;
      for (let k = 0; k < next.length; k++) {
        let p = next[k]!;
        if (p >= 0 && p < from) next[k] = p = text.indexOf(this.firstChars[k]!, from);
        if (p >= 0 && (i < 0 || p < i)) i = p;
      }
      if (i < 0) break;
      const match = this.matchAt(text, i);
      if (match === undefined) {
        from = i + 1;
        continue;
      }
      if (i > last) out.push({ start: last, end: i, tokenId: -1 });
      out.push({ start: i, end: i + match.content.length, tokenId: match.id });
      last = from = i + match.content.length;
    }
    if (last < text.length) out.push({ start: last, end: text.length, tokenId: -1 });
    return out;
  }

  private matchAt(text: string, i: number): { content: string; id: number } | undefined {
    const list = this.byFirstChar.get(text[i]!);
    return list?.find((t) => text.startsWith(t.content, i));
  }
}
