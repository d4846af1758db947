// WordPiece vocabulary: token <-> id, as HF transformers `load_vocab` reads vocab.txt
// (line i is id i; a repeated token maps to its last line, every line keeps its id).
export class Vocab {
  readonly tokenToId: Map<string, number>;
  readonly idToToken: string[];

  constructor(idToToken: string[], tokenToId?: Map<string, number>) {
    this.idToToken = idToToken;
    if (tokenToId) this.tokenToId = tokenToId;
    else {
      this.tokenToId = new Map();
      for (let i = 0; i < idToToken.length; i++) this.tokenToId.set(idToToken[i]!, i);
    }
  }

  get size(): number {
    return this.idToToken.length;
  }

  /** vocab.txt text: one token per line; a trailing newline does not add an empty token. */
  static fromText(text: string): Vocab {
    const lines = text.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    // Files saved on Windows end lines with \r\n; no real token ends with \r.
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.endsWith('\r')) lines[i] = l.slice(0, -1);
    }
    if (lines.length === 0) throw new Error('vocab.txt is empty');
    return new Vocab(lines);
  }

  /** tokenizer.json `model.vocab`: { token: id }. Ids must be unique and cover 0..n-1. */
  static fromObject(obj: Record<string, number>): Vocab {
    const tokenToId = new Map<string, number>();
    const idToToken: string[] = [];
    for (const [tok, id] of Object.entries(obj)) {
      if (!Number.isInteger(id) || id < 0)
        throw new Error(`vocab id for ${JSON.stringify(tok)} is not a non-negative integer`);
      tokenToId.set(tok, id);
      idToToken[id] = tok;
    }
    for (let i = 0; i < idToToken.length; i++) {
      if (idToToken[i] === undefined) throw new Error(`vocab has no token with id ${i}`);
    }
    return new Vocab(idToToken, tokenToId);
  }

  id(token: string): number | undefined {
    return this.tokenToId.get(token);
  }

  /** Id of a token the tokenizer cannot work without (special tokens). */
  requireId(token: string, role: string): number {
    const id = this.tokenToId.get(token);
    if (id === undefined) throw new Error(`${role} token ${JSON.stringify(token)} is not in the vocabulary`);
    return id;
  }

  token(id: number): string | undefined {
    return this.idToToken[id];
  }
}
