// Question-answering features as HF `run_qa.py` prepares them (prepare_train_features /
// prepare_validation_features): [CLS] question [SEP] context-window [SEP], truncation only of the
// context, long contexts split into overlapping windows that share `docStride` tokens (the Rust
// tokenizers' overflow: window starts step by budget - stride, the last window ends at the end).
// The answer's character span maps to token start/end; an answer not wholly inside a window
// points at [CLS] (index 0). One difference: HF scans past the context into [SEP]/padding when the
// answer starts at a window's last token (their offsets are (0, 0)); here the scan stops at the
// context's end.
import type { QaExample } from '../../data';
import type { BertTokenizer } from '../../tokenizer';

export interface QaFeatureOptions {
  /** Total tokens per window, special tokens included (HF max_seq_length, default 384). */
  maxLength: number;
  /** Tokens shared by consecutive windows (HF doc_stride, default 128). */
  docStride: number;
}

export interface QaFeature {
  /** Index of the example (question) this window belongs to. */
  exampleIndex: number;
  inputIds: number[];
  tokenTypeIds: number[];
  /** Character span in the context of each token; null outside the context ([CLS], question, [SEP]). */
  offsets: ([number, number] | null)[];
  /** Answer token positions in this window; both 0 ([CLS]) when the answer is not wholly inside. */
  startPosition: number;
  endPosition: number;
}

/** Token ranges [start, stop) of the context covered by each window. */
export function contextWindows(n: number, budget: number, stride: number): Array<[number, number]> {
  if (budget < 1) throw new Error(`no room for the context: the question leaves ${budget} tokens`);
  if (stride >= budget)
    throw new Error(`docStride (${stride}) must be smaller than the context tokens per window (${budget})`);
  const out: Array<[number, number]> = [];
  for (let start = 0; ; start += budget - stride) {
    const stop = Math.min(start + budget, n);
    out.push([start, stop]);
    if (stop >= n) return out;
  }
}

/** Character span [start, end) of the training answer, or null when it is missing or not in the context. */
export function answerSpan(ex: QaExample): [number, number] | null {
  const a = ex.answers[0];
  if (!a || a.text === '') return null;
  const start = a.start >= 0 ? a.start : ex.context.indexOf(a.text);
  if (start < 0 || ex.context.slice(start, start + a.text.length) !== a.text) return null;
  return [start, start + a.text.length];
}

/** Token positions of char span [s, e) among context tokens ctxStart..ctxEnd (inclusive) of a window. */
function locate(
  offsets: ([number, number] | null)[],
  ctxStart: number,
  ctxEnd: number,
  s: number,
  e: number,
): [number, number] {
  if (ctxEnd < ctxStart) return [0, 0];
  if (!(offsets[ctxStart]![0] <= s && offsets[ctxEnd]![1] >= e)) return [0, 0];
  let i = ctxStart;
  while (i <= ctxEnd && offsets[i]![0] <= s) i++;
  let j = ctxEnd;
  while (j >= ctxStart && offsets[j]![1] >= e) j--;
  return [i - 1, j + 1];
}

export function qaFeatures(examples: readonly QaExample[], tokenizer: BertTokenizer, o: QaFeatureOptions): QaFeature[] {
  const out: QaFeature[] = [];
  examples.forEach((ex, exampleIndex) => {
    // run_qa strips the question's leading whitespace; the tokenizer would drop it anyway.
    const q = tokenizer.encode(ex.question.trimStart(), null, { addSpecialTokens: false }).inputIds;
    const c = tokenizer.encode(ex.context, null, { addSpecialTokens: false });
    const budget = o.maxLength - q.length - 3;
    let windows: Array<[number, number]>;
    try {
      windows = contextWindows(c.inputIds.length, budget, o.docStride);
    } catch (err) {
      throw new Error(
        `question ${ex.id}: ${(err as Error).message} (question of ${q.length} tokens, maxLength ${o.maxLength})`,
      );
    }
    const span = answerSpan(ex);
    const ctxStart = q.length + 2;
    for (const [start, stop] of windows) {
      const inputIds = [tokenizer.clsId, ...q, tokenizer.sepId, ...c.inputIds.slice(start, stop), tokenizer.sepId];
      const tokenTypeIds = inputIds.map((_, i) => (i < ctxStart ? 0 : 1));
      const offsets: ([number, number] | null)[] = inputIds.map((_, i) =>
        i >= ctxStart && i < ctxStart + stop - start ? c.offsets[start + i - ctxStart]! : null,
      );
      const [startPosition, endPosition] = span
        ? locate(offsets, ctxStart, ctxStart + stop - start - 1, span[0], span[1])
        : [0, 0];
      out.push({ exampleIndex, inputIds, tokenTypeIds, offsets, startPosition, endPosition });
    }
  });
  return out;
}
