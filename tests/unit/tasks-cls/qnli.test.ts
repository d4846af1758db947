// Sentence pairs that need both segments: QNLI, built from SQuAD exactly as GLUE built it (a
// question paired with one sentence of its paragraph; "entailment" when that sentence holds the
// answer). RTE, the pair dataset in ../shared/data, is out of reach for this small model in a CI
// budget (see rte.test.ts); QNLI is learnable from how the question and the sentence relate, so a
// short seeded run must clearly beat the majority class. Neither text alone can: every question
// appears once with each label, and so does nearly every sentence pool.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ParsedTable } from '../../../src/data';
import { mulberry32 } from '../../../src/lib/rng';
import { nodeFolderSource } from '../../../src/model/checkpoint/nodeSource';
import { tableExamples } from '../../../src/train/dataset';
import { evaluate } from '../../../src/train/evaluate';
import { loadClassifier } from '../../../src/train/loadModel';
import { train } from '../../../src/train/loop';
import { useWasm } from '../train/helpers';
import { MODEL_DIR, readShared, tinyTokenizer } from './helpers';

beforeAll(useWasm);

const COLS = { textColumn: 'question', textPairColumn: 'sentence', labelColumn: 'label', multiLabel: false } as const;

/** Sentence spans of a paragraph: a break after . ! or ? followed by space and a capital or digit. */
function sentences(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const re = /[.!?]["')\]]?\s+(?=["'([]?[A-Z0-9])/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ start, end: m.index + m[0].trimEnd().length });
    start = m.index + m[0].length;
  }
  out.push({ start, end: text.length });
  return out;
}

/** One positive and one negative pair per question whose answer sits inside one sentence. */
function qnliPairs(squad: ParsedTable, titles: Set<string>, seed: number): string[][] {
  const col = (n: string) => squad.columns.indexOf(n);
  const [T, C, Q, A, S] = ['title', 'context', 'question', 'answer_text', 'answer_start'].map(col) as number[];
  const rand = mulberry32(seed);
  const rows: string[][] = [];
  for (const r of squad.rows) {
    if (!titles.has(r[T!]!)) continue;
    const context = r[C!]!;
    const answer = r[A!]!;
    const at = Number(r[S!]);
    const spans = sentences(context);
    const pos = spans.find((s) => s.start <= at && at + answer.length <= s.end);
    const negs = spans.filter((s) => !context.slice(s.start, s.end).includes(answer) && s.end - s.start > 20);
    if (!pos || negs.length === 0) continue;
    const neg = negs[Math.floor(rand() * negs.length)]!;
    rows.push([r[Q!]!, context.slice(pos.start, pos.end), 'entailment']);
    rows.push([r[Q!]!, context.slice(neg.start, neg.end), 'not_entailment']);
  }
  return rows;
}

describe('QNLI pairs from SQuAD (wasm, studio-bert-tiny-mlm)', () => {
  it('a short seeded run clearly beats the majority class on held-out articles', async () => {
    const squad = await readShared('squad', 'squad_v1.1_dev_rebuilt_minus_xquad.csv');
    const titles = [...new Set(squad.rows.map((r) => r[squad.columns.indexOf('title')]!))].sort();
    // Whole articles go to one side, so no paragraph is seen in training and validation.
    const validTitles = new Set(titles.filter((_, i) => i % 5 === 0));
    const trainTitles = new Set(titles.filter((_, i) => i % 5 !== 0));
    const table = (rows: string[][]): ParsedTable => ({ ...squad, columns: ['question', 'sentence', 'label'], rows });
    const trainRows = qnliPairs(squad, trainTitles, 1).slice(0, 3000);
    const validRows = qnliPairs(squad, validTitles, 2).slice(0, 600);
    const tokenizer = await tinyTokenizer();
    const { examples: trainSet, labels } = tableExamples(table(trainRows), COLS, tokenizer, 80);
    const { examples: validSet } = tableExamples(table(validRows), COLS, tokenizer, 80, labels);
    expect(labels).toEqual(['entailment', 'not_entailment']);
    const majority = Math.max(...labels.map((_, k) => validSet.filter((e) => e.label === k).length)) / validSet.length;

    const { model } = await loadClassifier(nodeFolderSource(MODEL_DIR), {
      labels,
      head: { kind: 'linear' },
      multiLabel: false,
      seed: 1,
    });
    const t0 = performance.now();
    await train(
      model,
      { train: trainSet, valid: [], padId: tokenizer.padId },
      { epochs: 2, batchSize: 32, lr: 5e-4, seed: 3 },
      () => {},
    );
    const r = await evaluate(model, validSet, { batchSize: 64, padId: tokenizer.padId });
    model.dispose();
    if (r.kind !== 'single-label') throw new Error('expected single-label metrics');
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      JSON.stringify({ seconds, train: trainSet.length, valid: validSet.length, majority, accuracy: r.accuracy }),
    );
    // Measured: 0.613 (lr 5e-4; 0.605 at 2e-4) against 0.5, on 600 pairs, where one standard error
    // is 0.02: the bound is 3.5 of them, so it holds through small numeric changes in the engine.
    expect(r.accuracy).toBeGreaterThan(majority + 0.07);
  }, 600_000);
});
