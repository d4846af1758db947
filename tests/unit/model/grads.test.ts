// Gradients (vs. the PyTorch fixture), the UnsortedSegmentSum training kernel, tensor leaks and
// dropout, on the cpu and wasm backends.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTrainingKernels, type BertModel, type HeadOutput } from '../../../src/model';
import { toHf } from '../../../src/model/layout';
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

const GRAD_TOL = { abs: 1e-6, rel: 1e-3 }; // README: gradients
const WORD = 'bert.embeddings.word_embeddings.weight';

function logitsOf(o: HeadOutput): tf.Tensor {
  if (o.kind !== 'seq-cls') throw new Error(`expected seq-cls output, got ${o.kind}`);
  return o.logits;
}

describe.each(BACKENDS)('training pieces on %s', (backend) => {
  let model: BertModel;

  beforeAll(async () => {
    registerTrainingKernels();
    registerTrainingKernels(); // idempotent
    await useBackend(backend);
    model = loadFixtureModel('bert-seqcls', 'seq-cls').model;
  });
  afterAll(() => model.dispose());

  it('UnsortedSegmentSum scatter-adds rows and drops out-of-range ids', () => {
    tf.tidy(() => {
      const x = tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
        [7, 8],
      ]);
      const ids = tf.tensor1d([2, 0, 2, 5], 'int32');
      const r = tf.unsortedSegmentSum(x, ids, 4);
      expect(r.shape).toEqual([4, 2]);
      expect(Array.from(r.dataSync())).toEqual([3, 4, 0, 0, 6, 8, 0, 0]);
    });
  });

  it('seq-cls CE gradients match PyTorch', async () => {
    const f = fixture();
    const inputs = batchInputs('main');
    const labels = tf.tensor1d(f.labels.seqcls, 'int32');
    const { loss, grads } = model.lossAndGrads(() => model.loss(inputs, { kind: 'seq-cls', labels }));
    expectRelClose(loss.dataSync()[0]!, f.losses.seqcls_single_label_ce!, 1e-4, 'loss');
    expect(grads.size).toBe(model.variables.size);
    for (const name of f.gradients.tensors) {
      const g = grads.get(name);
      if (!g) throw new Error(`no gradient for ${name}`);
      const hf = await toHf(name, g);
      expect(hf.shape, name).toEqual([...out(`grad.${name}`).shape]);
      expectClose(hf.data, out(`grad.${name}`).data, `grad ${name}`, GRAD_TOL);
    }
    // Word embeddings: the rows of ids present in the batch match; every other row is exactly 0.
    const rowIds = out('grad.word_embeddings.row_ids').data;
    const wordGrad = grads.get(WORD)!.dataSync();
    const h = model.config.hidden_size;
    const rows = new Float32Array(rowIds.length * h);
    const present = new Set<number>(rowIds);
    rowIds.forEach((id, i) => rows.set(wordGrad.subarray(id * h, id * h + h), i * h));
    expectClose(rows, out(`grad.${WORD}[row_ids]`).data, 'word embedding grad rows', GRAD_TOL);
    let nonZeroElsewhere = 0;
    for (let id = 0; id < model.config.vocab_size; id++) {
      if (present.has(id)) continue;
      for (let k = 0; k < h; k++) if (wordGrad[id * h + k] !== 0) nonZeroElsewhere++;
    }
    expect(nonZeroElsewhere).toBe(0);
    tf.dispose([inputs.inputIds, inputs.tokenTypeIds, inputs.attentionMask, labels, loss, ...grads.values()]);
  });

  it('gradients of a chosen subset only (frozen encoder)', async () => {
    const inputs = batchInputs('main');
    const labels = tf.tensor1d(fixture().labels.seqcls, 'int32');
    const { loss, grads } = model.lossAndGrads(
      () => model.loss(inputs, { kind: 'seq-cls', labels }),
      (name) => name.startsWith('classifier.'),
    );
    expect([...grads.keys()].sort()).toEqual(['classifier.bias', 'classifier.weight']);
    expectClose(
      (await toHf('classifier.weight', grads.get('classifier.weight')!)).data,
      out('grad.classifier.weight').data,
      'classifier grad',
      GRAD_TOL,
    );
    tf.dispose([inputs.inputIds, inputs.tokenTypeIds, inputs.attentionMask, labels, loss, ...grads.values()]);
  });

  it('leaks no tensors in forward, heads, losses and gradient steps', () => {
    const inputs = batchInputs('main');
    const labels = tf.tensor1d(fixture().labels.seqcls, 'int32');
    const before = tf.memory().numTensors;
    const r = model.forward(inputs, { outputHiddenStates: true, training: true, seed: 1 });
    tf.dispose([r.lastHiddenState, r.pooledOutput!, ...r.hiddenStates!]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(logitsOf(model.headForward(inputs, { training: true, seed: 2 })));
    expect(tf.memory().numTensors).toBe(before);
    model.loss(inputs, { kind: 'seq-cls', labels }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    const { loss, grads } = model.lossAndGrads(() =>
      model.loss(inputs, { kind: 'seq-cls', labels }, { training: true, seed: 3 }),
    );
    tf.dispose([loss, ...grads.values()]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([inputs.inputIds, inputs.tokenTypeIds, inputs.attentionMask, labels]);
  });

  it('dropout is active only when training, and seeded', () => {
    tf.tidy(() => {
      const inputs = batchInputs('main');
      const evalA = logitsOf(model.headForward(inputs)).dataSync();
      const evalB = logitsOf(model.headForward(inputs, { training: false, seed: 9 })).dataSync();
      expect(Array.from(evalB)).toEqual(Array.from(evalA));
      const t1 = logitsOf(model.headForward(inputs, { training: true, seed: 42 })).dataSync();
      const t2 = logitsOf(model.headForward(inputs, { training: true, seed: 42 })).dataSync();
      const t3 = logitsOf(model.headForward(inputs, { training: true, seed: 43 })).dataSync();
      expect(Array.from(t2)).toEqual(Array.from(t1));
      const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
        let m = 0;
        for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
        return m;
      };
      expect(maxDiff(t1, evalA)).toBeGreaterThan(1e-4);
      expect(maxDiff(t1, t3)).toBeGreaterThan(1e-4);
      expect(Array.from(t1).every((v) => Number.isFinite(v))).toBe(true);
    });
  });
});
