// run_ner-style encoding (label on each word's first piece, -100 elsewhere, truncation), metrics
// from logits, and single-text inference, on the tiny parity checkpoints.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeFolderSource } from '../../../src/model/checkpoint/nodeSource';
import { answerQuestion, predictEntities } from '../../../src/train/tasks/predict';
import { loadTaskModel, type LoadedTaskModel } from '../../../src/train/tasks/taskModel';
import {
  encodeWords,
  tokenClsBatch,
  tokenClsExamples,
  tokenClsLogits,
  tokenClsMetrics,
} from '../../../src/train/tasks/tokenCls';
import { PARITY_DIR, useWasm } from '../train/helpers';

let ner: LoadedTaskModel;
beforeAll(async () => {
  await useWasm();
  ner = await loadTaskModel(nodeFolderSource(`${PARITY_DIR}/bert-tokcls`), { head: 'token-cls', seed: 0 });
});

describe('token-cls encoding', () => {
  it('reads the tag set from id2label and labels only first pieces', () => {
    expect(ner.labels).toEqual(['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC']);
    expect(ner.report.initialised).toEqual([]); // classifier.* come from the checkpoint
    const tok = ner.tokenizer;
    const [e] = tokenClsExamples(
      [{ tokens: ['@paulwalk', 'visits', 'Huntsville'], tags: ['O', 'O', 'B-LOC'] }],
      tok,
      ner.labels,
      32,
    );
    const pieces = e!.inputIds.map((id) => tok.vocab.idToToken[id]);
    expect(pieces).toEqual(['[CLS]', '@', 'paul', '##walk', 'visits', 'huntsville', '[SEP]']);
    expect(e!.wordIds).toEqual([-1, 0, 0, 0, 1, 2, -1]);
    expect(e!.labels).toEqual([-100, 0, -100, -100, 0, 3, -100]);
  });

  it('truncates to maxLength pieces, keeping [SEP]', () => {
    const { inputIds, wordIds } = encodeWords(ner.tokenizer, ['@paulwalk', 'visits', 'huntsville'], 4);
    expect(inputIds).toHaveLength(4);
    expect(inputIds.at(-1)).toBe(ner.tokenizer.sepId);
    expect(wordIds).toEqual([-1, 0, 0, -1]);
  });

  it('rejects tags the model cannot predict', () => {
    expect(() => tokenClsExamples([{ tokens: ['x'], tags: ['B-ORG'] }], ner.tokenizer, ner.labels, 8)).toThrow(/B-ORG/);
  });

  it('pads batches with -100 labels and frees every tensor it makes', () => {
    const ex = tokenClsExamples(
      [
        { tokens: ['a', 'b', 'c'], tags: ['B-PER', 'I-PER', 'O'] },
        { tokens: ['d'], tags: ['B-LOC'] },
      ],
      ner.tokenizer,
      ner.labels,
      16,
    );
    const before = tf.memory().numTensors;
    const b = tokenClsBatch(ex, [0, 1], ner.tokenizer.padId);
    expect(b.shape).toEqual([2, 5]);
    if (b.labels.kind !== 'token-cls') throw new Error('wrong labels');
    expect(Array.from(b.labels.labels.dataSync())).toEqual([-100, 1, 2, 0, -100, -100, 3, -100, -100, -100]);
    expect(Array.from(b.inputs.attentionMask!.dataSync())).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0, 0]);
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('token-cls metrics and inference', () => {
  it('metrics from logits: argmax tags at first pieces, token-mean cross-entropy', () => {
    const ex = tokenClsExamples(
      [{ tokens: ['john', 'smith', 'runs'], tags: ['B-PER', 'I-PER', 'O'] }],
      ner.tokenizer,
      ner.labels,
      16,
    );
    const T = ex[0]!.inputIds.length;
    const L = 5;
    const x = new Float32Array(T * L);
    // Pieces 1..3 are the three words; predict B-PER, O, O -> PER(0,0) vs true PER(0,1).
    x[1 * L + 1] = 2;
    x[2 * L + 0] = 2;
    x[3 * L + 0] = 2;
    const m = tokenClsMetrics([x], ex, ner.labels);
    expect(m.micro).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(m.accuracy).toBeCloseTo(2 / 3, 12);
    const lse = Math.log(Math.exp(2) + 4);
    expect(m.loss).toBeCloseTo((lse - 2 + (lse - 0) + (lse - 2)) / 3, 6);
  });

  it('eval-mode logits are independent of batch padding', async () => {
    const ex = tokenClsExamples(
      [
        { tokens: ['john', 'went', 'to', 'the', 'big', 'city'], tags: ['B-PER', 'O', 'O', 'O', 'O', 'B-LOC'] },
        { tokens: ['anna'], tags: ['B-PER'] },
      ],
      ner.tokenizer,
      ner.labels,
      16,
    );
    const together = await tokenClsLogits(ner.model, ex, { batchSize: 2, padId: ner.tokenizer.padId });
    const alone = await tokenClsLogits(ner.model, [ex[1]!], { batchSize: 1, padId: ner.tokenizer.padId });
    expect(together[1]!.length).toBe(3 * 5);
    for (let i = 0; i < alone[0]!.length; i++) expect(together[1]![i]).toBeCloseTo(alone[0]![i]!, 5);
  });

  it('predictEntities maps word tags back to character spans', async () => {
    const before = tf.memory().numTensors;
    const r = await predictEntities(ner.model, ner.tokenizer, ner.labels, '  John  Smith flew to Paris.');
    expect(r.words.map((w) => [w.text, w.start, w.end])).toEqual([
      ['John', 2, 6],
      ['Smith', 8, 13],
      ['flew', 14, 18],
      ['to', 19, 21],
      ['Paris.', 22, 28],
    ]);
    for (const e of r.entities) expect(e.text).toBe('  John  Smith flew to Paris.'.slice(e.start, e.end));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('answerQuestion returns a span of the context', async () => {
    const qa = await loadTaskModel(nodeFolderSource(`${PARITY_DIR}/bert-qa`), { head: 'qa', seed: 0 });
    const context = "The game was played on February 7, 2016, at Levi's Stadium in Santa Clara, California.";
    const p = await answerQuestion(qa.model, qa.tokenizer, 'Where was the game played?', context, {
      maxLength: 20,
      docStride: 4,
    });
    expect(p.score).toBeGreaterThan(-Infinity);
    expect(p.text).toBe(context.slice(p.start, p.end));
    expect(p.text.length).toBeGreaterThan(0);
    qa.model.dispose();
  });
});
