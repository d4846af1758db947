// The speed paths give the same numbers as the plain ones, on the fixture's real weights: the
// [CLS]-only last layer (values and gradients), the inference Q/K/V projections (no tape) against
// the fused training one, and the host-memory embedding lookup against tf.gather.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTrainingKernels, type BertModel } from '../../../src/model';
import { setHostKernels } from '../../../src/model/hostMemory';
import { gatherRows } from '../../../src/model/layers/hostOps';
import { BACKENDS, batchInputs, expectClose, loadFixtureModel, useBackend } from './helpers';

const TOL = { abs: 2e-6, rel: 1e-5 };

describe.each(BACKENDS)('fast paths on %s', (backend) => {
  let model: BertModel;
  let inputs: ReturnType<typeof batchInputs>;

  beforeAll(async () => {
    registerTrainingKernels();
    await useBackend(backend);
    model = loadFixtureModel('bert-seqcls', 'seq-cls').model;
    inputs = batchInputs('main');
  });
  afterAll(() => {
    tf.dispose([inputs.inputIds, inputs.tokenTypeIds, inputs.attentionMask]);
    model.dispose();
  });

  it('clsOnly gives row 0 of the full last layer and the same pooled output', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const full = model.forward(inputs);
      const cls = model.forward(inputs, { clsOnly: true });
      const [b, t, h] = full.lastHiddenState.shape as [number, number, number];
      expect(t).toBeGreaterThan(1);
      expect(cls.lastHiddenState.shape).toEqual([b, 1, h]);
      const row0 = tf.slice(full.lastHiddenState, [0, 0, 0], [b, 1, h]);
      expectClose(cls.lastHiddenState.dataSync(), row0.dataSync(), 'cls row', TOL);
      expectClose(cls.pooledOutput!.dataSync(), full.pooledOutput!.dataSync(), 'pooled', TOL);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('clsOnly gives the same gradients for every parameter', () => {
    const before = tf.memory().numTensors;
    const weights = tf.tidy(() => tf.randomNormal([model.config.hidden_size], 0, 1, 'float32', 5));
    const lossOf = (clsOnly: boolean) => () =>
      tf.tidy(() => tf.sum(tf.mul(model.forward(inputs, { clsOnly }).pooledOutput!, weights)) as tf.Scalar);
    const full = model.lossAndGrads(lossOf(false));
    const cls = model.lossAndGrads(lossOf(true));
    expectClose(cls.loss.dataSync(), full.loss.dataSync(), 'loss', TOL);
    expect([...cls.grads.keys()].sort()).toEqual([...full.grads.keys()].sort());
    for (const [name, g] of full.grads) expectClose(cls.grads.get(name)!.dataSync(), g.dataSync(), name, TOL);
    tf.dispose([full.loss, cls.loss, weights, ...full.grads.values(), ...cls.grads.values()]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('inference (three Q/K/V matmuls) equals the taped forward (one fused matmul)', () => {
    tf.tidy(() => {
      const plain = model.forward(inputs).lastHiddenState;
      let taped: Float32Array | null = null;
      const { value, grads } = tf.variableGrads(
        () => {
          const h = model.forward(inputs).lastHiddenState;
          taped = h.dataSync() as Float32Array;
          return tf.sum(h) as tf.Scalar;
        },
        model.trainableVariables((n) => n.includes('layer.0.attention.self.query')),
      );
      expect(Object.keys(grads).length).toBeGreaterThan(0);
      expectClose(taped!, plain.dataSync(), 'last hidden state', TOL);
      tf.dispose([value, ...Object.values(grads)]);
    });
  });

  it('the host embedding lookup equals tf.gather, values and gradients', () => {
    tf.tidy(() => {
      const table = tf.randomNormal([50, 8], 0, 1, 'float32', 3);
      const ids = tf.tensor2d(
        [
          [3, 0, 49, 3],
          [7, 7, 1, 2],
        ],
        undefined,
        'int32',
      );
      const up = tf.randomNormal([2, 4, 8], 0, 1, 'float32', 4);
      const f = (t: tf.Tensor) => tf.sum(tf.mul(gatherRows(t, ids), up));
      const host = { y: gatherRows(table, ids).dataSync(), g: tf.grad(f)(table).dataSync() };
      setHostKernels(false);
      try {
        const ref = { y: tf.gather(table, ids).dataSync(), g: tf.grad(f)(table).dataSync() };
        expect(Array.from(host.y)).toEqual(Array.from(ref.y));
        expectClose(host.g, ref.g, 'gradient', { abs: 1e-6 });
      } finally {
        setHostKernels(true);
      }
      expect(() => gatherRows(table, tf.tensor1d([50], 'int32'))).toThrow(/not in \[0, 49\]/);
    });
  });
});
