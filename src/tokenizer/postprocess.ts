// Truncation, the [CLS] A [SEP] (B [SEP]) template and padding, following HF transformers
// `PreTrainedTokenizerBase.truncate_sequences` / `build_inputs_with_special_tokens` / `pad`.
import { TruncationError, type Encoding, type TruncationStrategy } from './types';

/** Word pieces of one input text before the template is applied. */
export interface SeqTokens {
  ids: number[];
  starts: number[];
  ends: number[];
  wordIds: number[];
}

/**
 * Lengths [a, b] kept of the two sequences so that a + b <= budget.
 * longest_first follows transformers (slow and fast Python API alike): remove one token at a time
 * from the longer sequence, from the second on ties, so an odd budget leaves the first one token
 * longer. (Rust `tokenizers` gives the extra token to the originally longer sequence instead;
 * the parity fixture is transformers'.) only_first / only_second must leave at least one token
 * in the truncated sequence, otherwise we throw like the fast tokenizer ("Sequence to truncate
 * too short"); transformers' slow tokenizer would log an error and silently not truncate.
 */
export function truncatedLengths(
  lenA: number,
  lenB: number | null,
  budget: number,
  strategy: TruncationStrategy,
): [number, number] {
  const b0 = lenB ?? 0;
  const excess = lenA + b0 - budget;
  if (excess <= 0) return [lenA, b0];
  if (strategy === 'longest_first') {
    if (lenB === null) return [budget, 0];
    let a = lenA;
    let b = lenB;
    const first = Math.min(Math.abs(a - b), excess);
    const rest = excess - first;
    if (a > b) {
      a -= first + Math.floor(rest / 2);
      b -= rest - Math.floor(rest / 2);
    } else {
      a -= Math.floor(rest / 2);
      b -= first + rest - Math.floor(rest / 2);
    }
    return [a, b];
  }
  if (strategy === 'only_second') {
    if (lenB === null) throw new TruncationError("truncation 'only_second' needs a sentence pair");
    if (lenB <= excess) {
      throw new TruncationError(
        `cannot truncate to the maximum length: the second sequence has ${lenB} tokens but ${excess} must go`,
      );
    }
    return [lenA, lenB - excess];
  }
  if (lenA <= excess) {
    throw new TruncationError(
      `cannot truncate to the maximum length: the first sequence has ${lenA} tokens but ${excess} must go`,
    );
  }
  return [lenA - excess, b0];
}

export interface TemplateTokens {
  clsId: number;
  sepId: number;
  padId: number;
  idToToken: readonly string[];
}

/** Builds one Encoding from (already truncated-to-`keep`) sequences, padded to `padTo` tokens. */
export function assemble(
  t: TemplateTokens,
  a: SeqTokens,
  keepA: number,
  b: SeqTokens | null,
  keepB: number,
  addSpecial: boolean,
  padTo: number,
): Encoding {
  const enc: Encoding = {
    inputIds: [],
    tokenTypeIds: [],
    attentionMask: [],
    tokens: [],
    offsets: [],
    sequenceIds: [],
    wordIds: [],
    specialTokensMask: [],
  };
  if (addSpecial) pushSpecial(enc, t, t.clsId, 0, 1);
  pushSeq(enc, t, a, keepA, 0);
  if (addSpecial) pushSpecial(enc, t, t.sepId, 0, 1);
  if (b) {
    pushSeq(enc, t, b, keepB, 1);
    if (addSpecial) pushSpecial(enc, t, t.sepId, 1, 1);
  }
  padEncoding(enc, t, padTo);
  return enc;
}

/** Appends [PAD] tokens until the encoding holds `length` tokens. */
export function padEncoding(enc: Encoding, t: TemplateTokens, length: number): void {
  while (enc.inputIds.length < length) pushSpecial(enc, t, t.padId, 0, 0);
}

function pushSpecial(enc: Encoding, t: TemplateTokens, id: number, typeId: number, mask: number): void {
  enc.inputIds.push(id);
  enc.tokenTypeIds.push(typeId);
  enc.attentionMask.push(mask);
  enc.tokens.push(t.idToToken[id] ?? '');
  enc.offsets.push([0, 0]);
  enc.sequenceIds.push(null);
  enc.wordIds.push(null);
  enc.specialTokensMask.push(1);
}

function pushSeq(enc: Encoding, t: TemplateTokens, s: SeqTokens, keep: number, typeId: 0 | 1): void {
  for (let i = 0; i < keep; i++) {
    const id = s.ids[i]!;
    enc.inputIds.push(id);
    enc.tokenTypeIds.push(typeId);
    enc.attentionMask.push(1);
    enc.tokens.push(t.idToToken[id] ?? '');
    enc.offsets.push([s.starts[i]!, s.ends[i]!]);
    enc.sequenceIds.push(typeId);
    enc.wordIds.push(s.wordIds[i]!);
    enc.specialTokensMask.push(0);
  }
}
