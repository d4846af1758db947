// run_qa-style features: overlapping context windows (tokenizers' overflow semantics), answer
// char span -> token positions, [CLS] for answers not wholly inside a window, and the n-best span
// choice across windows, on hand-made contexts and real SQuAD rows.
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTable, squadFromTable, SQUAD_CSV_COLUMNS, type QaExample } from '../../../src/data';
import { nodeFolderSource } from '../../../src/model/checkpoint/nodeSource';
import type { BertTokenizer } from '../../../src/tokenizer';
import { readTokenizer } from '../../../src/train/loadModel';
import { postprocessQa } from '../../../src/train/tasks/qa';
import { contextWindows, qaFeatures } from '../../../src/train/tasks/qaFeatures';
import { normalizeAnswer } from '../../../src/train/tasks/squadMetric';
import { sharedPath } from '../shared';

let tok: BertTokenizer;
beforeAll(async () => {
  tok = await readTokenizer(nodeFolderSource(sharedPath('models', 'studio-bert-tiny-mlm')));
});

describe('contextWindows', () => {
  it.each<[number, number, number, Array<[number, number]>]>([
    [
      10,
      4,
      2,
      [
        [0, 4],
        [2, 6],
        [4, 8],
        [6, 10],
      ],
    ],
    [
      5,
      4,
      1,
      [
        [0, 4],
        [3, 5],
      ],
    ],
    [4, 4, 1, [[0, 4]]],
    [0, 4, 1, [[0, 0]]],
  ])('n=%i budget=%i stride=%i', (n, budget, stride, want) => expect(contextWindows(n, budget, stride)).toEqual(want));

  it('refuses a stride that does not advance, and a question that leaves no room', () => {
    expect(() => contextWindows(10, 4, 4)).toThrow(/docStride/);
    expect(() => contextWindows(10, 0, 0)).toThrow(/no room/);
  });
});

describe('answer positions across windows', () => {
  // Every word is one vocabulary token, so token i of the context is word i.
  const context = 'one two three four five six seven eight nine ten';
  const ex: QaExample = { id: 'q', question: '  which?', context, answers: [{ text: 'four five six', start: 14 }] };

  it('labels only the window that holds the whole answer; others point at [CLS]', () => {
    // question = [which, ?]: 2 + 3 special tokens, so maxLength 9 leaves 4 context tokens.
    const f = qaFeatures([ex], tok, { maxLength: 9, docStride: 2 });
    expect(f.map((x) => tok.decode(x.inputIds))).toEqual([
      '[CLS] which? [SEP] one two three four [SEP]',
      '[CLS] which? [SEP] three four five six [SEP]',
      '[CLS] which? [SEP] five six seven eight [SEP]',
      '[CLS] which? [SEP] seven eight nine ten [SEP]',
    ]);
    expect(f.map((x) => [x.startPosition, x.endPosition])).toEqual([
      [0, 0],
      [5, 7],
      [0, 0],
      [0, 0],
    ]);
    expect(f[1]!.tokenTypeIds).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(f[1]!.offsets.map((o) => o && context.slice(o[0], o[1]))).toEqual([
      null,
      null,
      null,
      null,
      'three',
      'four',
      'five',
      'six',
      null,
    ]);
  });

  it('picks the best valid span over all windows (start <= end, length, context only)', () => {
    const f = qaFeatures([ex], tok, { maxLength: 9, docStride: 2 });
    const logits = f.map((x) => ({
      start: new Float32Array(x.inputIds.length),
      end: new Float32Array(x.inputIds.length),
    }));
    logits[0]!.start[0] = 50; // [CLS]: never an answer in SQuAD v1
    logits[0]!.end[0] = 50;
    logits[0]!.start[7] = 9; // window 0: "four" .. "three" is backwards
    logits[0]!.end[6] = 9;
    logits[1]!.start[5] = 6; // window 1: "four five six" = 12
    logits[1]!.end[7] = 6;
    logits[3]!.start[2] = 30; // question token
    const [p] = postprocessQa([ex], f, logits);
    expect(p).toMatchObject({ id: 'q', text: 'four five six', score: 12, start: 14, end: 27 });
    // With at most 2 tokens per answer, window 0's "four" + (end logit 0) wins: 9 + 0.
    const [short] = postprocessQa([ex], f, logits, { nBest: 20, maxAnswerLength: 2 });
    expect(short!.score).toBe(9);
    expect(short!.text).toMatch(/^four/);
  });
});

describe('real SQuAD rows', () => {
  it('every answer maps back to its text through the window offsets', async () => {
    const table = await parseTable(
      new Uint8Array(await readFile(sharedPath('data', 'squad', 'squad_v1.1_dev_rebuilt_minus_xquad.csv'))),
      { fileName: 'squad.csv' },
    );
    table.rows = table.rows.slice(0, 300);
    const examples = squadFromTable(table, SQUAD_CSV_COLUMNS);
    expect(examples[0]!.answers[0]).toEqual({ text: 'Denver Broncos', start: 177 });
    const features = qaFeatures(examples, tok, { maxLength: 128, docStride: 32 });
    expect(features.length).toBeGreaterThan(examples.length); // long contexts are split
    let exact = 0;
    let located = 0;
    const seen = new Set<number>();
    for (const f of features) {
      expect(f.inputIds.length).toBeLessThanOrEqual(128);
      if (f.startPosition === 0) continue;
      const ex = examples[f.exampleIndex]!;
      const span = ex.context.slice(f.offsets[f.startPosition]![0], f.offsets[f.endPosition]![1]);
      expect(span).toContain(ex.answers[0]!.text); // a token can run past the answer (e.g. "1990s")
      if (normalizeAnswer(span) === normalizeAnswer(ex.answers[0]!.text)) exact++;
      located++;
      seen.add(f.exampleIndex);
    }
    // Answers (all far shorter than the 32-token overlap) are wholly inside at least one window.
    expect(seen.size).toBe(examples.length);
    // The rest are answers inside a longer word piece: "gold" in "golden", or "5" found in "105" by the
    // rebuilt file's first-occurrence answer_start.
    expect(exact / located).toBeGreaterThan(0.95);
  });
});
