// Forward, head and loss parity with the PyTorch reference fixtures (shared/fixtures/bert-parity,
// produced by a mirror of HF modeling_bert.py), on the cpu and wasm backends.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bceWithLogits, type BertModel, type HeadOutput } from '../../../src/model';
import { mlmTransform } from '../../../src/model/heads/maskedLM';
import { paramGetter } from '../../../src/model/params';
import {
  BACKENDS,
  batchInputs,
  expectClose,
  expectRelClose,
  fixture,
  loadFixtureModel,
  out,
  useBackend,
} from './helpers';

const ABS = 1e-4; // README: hidden states, pooler, logits (non-pad positions)
const LOSS_REL = 1e-4;
const H = 16;

function headOut<K extends HeadOutput['kind']>(o: HeadOutput, kind: K): Extract<HeadOutput, { kind: K }> {
  if (o.kind !== kind) throw new Error(`expected ${kind} output, got ${o.kind}`);
  return o as Extract<HeadOutput, { kind: K }>;
}

describe.each(BACKENDS)('BERT parity on %s', (backend) => {
  const models: Record<string, BertModel> = {};

  beforeAll(async () => {
    await useBackend(backend);
    models.base = loadFixtureModel('bert-base', 'base').model;
    models.seqcls = loadFixtureModel('bert-seqcls', 'seq-cls').model;
    models.tokcls = loadFixtureModel('bert-tokcls', 'token-cls').model;
    models.qa = loadFixtureModel('bert-qa', 'qa').model;
    models.mlm = loadFixtureModel('bert-mlm', 'mlm').model;
  });
  afterAll(() => Object.values(models).forEach((m) => m.dispose()));

  it.each(['main', 'trunc'] as const)('base encoder outputs (%s batch)', (batch) => {
    tf.tidy(() => {
      const inputs = batchInputs(batch);
      const mask = out(`${batch}.attention_mask`).data;
      const r = models.base!.forward(inputs, { outputHiddenStates: true });
      const cmp = (t: tf.Tensor, name: string): number =>
        expectClose(t.dataSync(), out(`${batch}.base.${name}`).data, name, { abs: ABS, rowMask: mask, rowSize: H });
      cmp(r.embeddingOutput!, 'embedding_output');
      cmp(r.hiddenStates![1]!, 'hidden_states.1');
      cmp(r.hiddenStates![2]!, 'hidden_states.2');
      const err = cmp(r.lastHiddenState, 'last_hidden_state');
      expect(err).toBeLessThan(1e-5); // cpu/wasm reach ~1e-6 (README)
      expectClose(r.pooledOutput!.dataSync(), out(`${batch}.base.pooler_output`).data, 'pooler_output', { abs: ABS });
      expect(r.hiddenStates!.length).toBe(3);
    });
  });

  it.each(['main', 'trunc'] as const)('head logits (%s batch)', (batch) => {
    tf.tidy(() => {
      const inputs = batchInputs(batch);
      const mask = out(`${batch}.attention_mask`).data;
      const seq = headOut(models.seqcls!.headForward(inputs), 'seq-cls');
      expectClose(seq.logits.dataSync(), out(`${batch}.seqcls.logits`).data, 'seqcls logits', { abs: ABS });
      const tok = headOut(models.tokcls!.headForward(inputs), 'token-cls');
      expect(tok.logits.shape).toEqual([...out(`${batch}.tokcls.logits`).shape]);
      expectClose(tok.logits.dataSync(), out(`${batch}.tokcls.logits`).data, 'tokcls logits', {
        abs: ABS,
        rowMask: mask,
        rowSize: 5,
      });
      const qa = headOut(models.qa!.headForward(inputs), 'qa');
      expectClose(qa.startLogits.dataSync(), out(`${batch}.qa.start_logits`).data, 'qa start', {
        abs: ABS,
        rowMask: mask,
      });
      expectClose(qa.endLogits.dataSync(), out(`${batch}.qa.end_logits`).data, 'qa end', { abs: ABS, rowMask: mask });
    });
  });

  it('stays finite with the float32-min mask, even for a fully padded row', () => {
    tf.tidy(() => {
      const inputs = batchInputs('main');
      const mask = tf.concat([tf.zeros([1, 25], 'int32'), inputs.attentionMask.slice([1, 0], [10, 25])]);
      const r = models.seqcls!.forward({ ...inputs, attentionMask: mask });
      expect(Array.from(r.lastHiddenState.dataSync()).every(Number.isFinite)).toBe(true);
      // Rows other than 0 are unaffected by row 0's mask.
      const want = out('main.seqcls.logits').data.slice(3);
      const seq = headOut(models.seqcls!.headForward({ ...inputs, attentionMask: mask }), 'seq-cls');
      expectClose(seq.logits.dataSync().slice(3), want, 'logits rows 1..', { abs: ABS });
    });
  });

  it('masked LM outputs', () => {
    tf.tidy(() => {
      const f = fixture();
      const base = batchInputs('main');
      const ids = tf.tensor2d(f.labels.mlm_input_ids, undefined, 'int32');
      const inputs = { ...base, inputIds: ids };
      const mask = out('main.attention_mask').data;
      const enc = models.mlm!.forward(inputs);
      expectClose(enc.lastHiddenState.dataSync(), out('main.mlm.last_hidden_state').data, 'mlm last_hidden_state', {
        abs: ABS,
        rowMask: mask,
        rowSize: H,
      });
      expect(enc.pooledOutput).toBeNull();

      const logits = headOut(models.mlm!.headForward(inputs), 'mlm').logits; // [B, T, V]
      const [b, t, v] = logits.shape as [number, number, number];
      expect([b, t, v]).toEqual([11, 25, 30522]);
      const pos = out('main.mlm.masked_positions');
      const flatPos = Array.from({ length: pos.shape[0]! }, (_, i) => pos.data[2 * i]! * t + pos.data[2 * i + 1]!);
      const posT = tf.tensor1d(flatPos, 'int32');
      const rows = tf.gather(logits.reshape([b * t, v]), posT); // [N, V]
      expectClose(
        rows.slice([0, 0], [6, v]).dataSync(),
        out('main.mlm.masked_logits_first6').data,
        'masked_logits_first6',
        { abs: ABS },
      );
      expectClose(tf.logSumExp(rows, -1).dataSync(), out('main.mlm.masked_logsumexp').data, 'masked_logsumexp', {
        abs: ABS,
      });
      const targets = flatPos.map((p) => f.labels.mlm_labels[Math.floor(p / t)]![p % t]!);
      const picked = tf.sum(tf.mul(rows, tf.oneHot(tf.tensor1d(targets, 'int32'), v)), -1);
      expectClose(picked.dataSync(), out('main.mlm.masked_target_logit').data, 'masked_target_logit', { abs: ABS });
      const transform = mlmTransform(
        paramGetter(models.mlm!.variables),
        models.mlm!.config,
        tf.gather(enc.lastHiddenState.reshape([b * t, H]), posT),
      );
      expectClose(transform.dataSync(), out('main.mlm.masked_transform_output').data, 'masked_transform_output', {
        abs: ABS,
      });
      // Top-5 ids at real tokens, exactly.
      const top5 = tf.topk(logits, 5).indices.dataSync();
      const want = out('main.mlm.top5_ids').data;
      for (let i = 0; i < b * t; i++) {
        if (mask[i] === 0) continue;
        expect(Array.from(top5.slice(i * 5, i * 5 + 5)), `top5 at ${i}`).toEqual(
          Array.from(want.slice(i * 5, i * 5 + 5)),
        );
      }
    });
  });

  it('losses match fixture.json', () => {
    tf.tidy(() => {
      const f = fixture();
      const inputs = batchInputs('main');
      const L = f.losses;
      const seqLabels = tf.tensor1d(f.labels.seqcls, 'int32');
      expectRelClose(
        models.seqcls!.loss(inputs, { kind: 'seq-cls', labels: seqLabels }).dataSync()[0]!,
        L.seqcls_single_label_ce!,
        LOSS_REL,
        'seqcls CE',
      );
      // Float multi-hot labels select HF's multi_label_classification (BCEWithLogits).
      const multiHot = tf.tensor2d(f.labels.seqcls_multi_hot, undefined, 'float32');
      expectRelClose(
        models.seqcls!.loss(inputs, { kind: 'seq-cls', labels: multiHot }).dataSync()[0]!,
        L.seqcls_multi_label_bce!,
        LOSS_REL,
        'seqcls BCE',
      );
      const logits = headOut(models.seqcls!.headForward(inputs), 'seq-cls').logits;
      expectRelClose(
        bceWithLogits(logits, multiHot).dataSync()[0]!,
        L.seqcls_multi_label_bce!,
        LOSS_REL,
        'bceWithLogits',
      );
      const tokLabels = tf.tensor2d(f.labels.tokcls, undefined, 'int32');
      expectRelClose(
        models.tokcls!.loss(inputs, { kind: 'token-cls', labels: tokLabels }).dataSync()[0]!,
        L.tokcls_ce!,
        LOSS_REL,
        'tokcls CE',
      );
      const start = f.labels.qa_start_positions;
      const end = f.labels.qa_end_positions;
      const qaLoss = (s: number[], e: number[]): number =>
        models
          .qa!.loss(inputs, {
            kind: 'qa',
            startPositions: tf.tensor1d(s, 'int32'),
            endPositions: tf.tensor1d(e, 'int32'),
          })
          .dataSync()[0]!;
      expectRelClose(qaLoss(start, end), L.qa_loss!, LOSS_REL, 'qa loss');
      expectRelClose(
        qaLoss([10000, ...start.slice(1)], [10000, ...end.slice(1)]),
        L.qa_loss_row0_out_of_range!,
        LOSS_REL,
        'qa loss, row 0 out of range',
      );
      const mlmInputs = { ...inputs, inputIds: tf.tensor2d(f.labels.mlm_input_ids, undefined, 'int32') };
      const mlmLabels = tf.tensor2d(f.labels.mlm_labels, undefined, 'int32');
      expectRelClose(
        models.mlm!.loss(mlmInputs, { kind: 'mlm', labels: mlmLabels }).dataSync()[0]!,
        L.mlm_ce!,
        LOSS_REL,
        'mlm CE',
      );
    });
  });
});
