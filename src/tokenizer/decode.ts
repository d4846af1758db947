// Ids -> text as HF's WordPiece decoder (tokenizers `decoders/wordpiece.rs`; transformers
// BertTokenizer.convert_tokens_to_string): join with spaces, glue `##` pieces to the previous
// token, then optionally `clean_up_tokenization`.

const CLEANUPS: [string, string][] = [
  [' .', '.'],
  [' ?', '?'],
  [' !', '!'],
  [' ,', ','],
  [" ' ", "'"],
  [" n't", "n't"],
  [" 'm", "'m"],
  [" 's", "'s"],
  [" 've", "'ve"],
  [" 're", "'re"],
];

export function cleanUpTokenization(text: string): string {
  let s = text;
  for (const [from, to] of CLEANUPS) s = s.replaceAll(from, to);
  return s;
}

export function decodeTokens(tokens: readonly string[], cleanUp: boolean, prefix = '##'): string {
  let s = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (i === 0) s = t;
    else if (t.startsWith(prefix)) s += t.slice(prefix.length);
    else s += ' ' + t;
  }
  return cleanUp ? cleanUpTokenization(s) : s;
}
