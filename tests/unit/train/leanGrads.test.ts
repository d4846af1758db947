// The lean backward pass (src/model/leanGrads.ts) against tfjs's own tf.variableGrads on the parity
// fixture's BERT (2 layers, hidden 16) with dropout on: the same loss and bit-for-bit the same
// gradients, no leaked tensors, and a lower peak of live tensor bytes.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeFolderSource } from '../../../src/model/checkpoint/nodeSource';
import type { SequenceClassifier } from '../../../src/train/classifier';
import { leanVariableGrads } from '../../../src/model/leanGrads';
import { loadClassifier } from '../../../src/train/loadModel';
import { classificationLoss } from '../../../src/train/losses';
import { forwardLogits } from '../../../src/train/step';
import { PARITY_DIR, parityFixture, useWasm } from './helpers';

beforeAll(useWasm);

type Grads = (f: () => tf.Scalar, vars: tf.Variable[]) => { value: tf.Scalar; grads: Record<string, tf.Tensor | null> };

async function setup(): Promise<{ model: SequenceClassifier; lossFn: () => tf.Scalar; dispose: () => void }> {
  const { fixture } = await parityFixture();
  const { model } = await loadClassifier(nodeFolderSource(`${PARITY_DIR}/bert-seqcls`), {
    labels: ['negative', 'neutral', 'positive'],
    head: { kind: 'linear' },
    multiLabel: false,
    seed: 0,
  });
  const main = fixture.batches.main!;
  const batch = {
    inputIds: tf.tensor2d(main.input_ids, undefined, 'int32'),
    tokenTypeIds: tf.tensor2d(main.token_type_ids, undefined, 'int32'),
    attentionMask: tf.tensor2d(main.attention_mask, undefined, 'int32'),
  };
  const labels = tf.tensor1d(fixture.labels.seqcls, 'int32');
  // training = true: dropout masks from a fixed seed, so both passes see the same ones.
  const lossFn = (): tf.Scalar =>
    tf.tidy(() =>
      classificationLoss(forwardLogits(model, { kind: 'tokens', batch }, true, 11), labels, {
        multiLabel: false,
        classWeights: null,
      }),
    );
  return {
    model,
    lossFn,
    dispose: () => tf.dispose([batch.inputIds, batch.tokenTypeIds, batch.attentionMask, labels]),
  };
}

/** Loss, gradients as arrays by variable name, and tfjs's peak of live tensor bytes during the call. */
async function run(
  grads: Grads,
  lossFn: () => tf.Scalar,
  vars: tf.Variable[],
): Promise<{ loss: number; g: Map<string, Float32Array | null>; peakBytes: number }> {
  let out: { value: tf.Scalar; grads: Record<string, tf.Tensor | null> } | null = null;
  const info = await tf.profile(() => {
    out = grads(lossFn, vars);
  });
  const { value, grads: gs } = out!;
  const g = new Map(Object.entries(gs).map(([k, t]) => [k, t ? (t.dataSync() as Float32Array).slice() : null]));
  const loss = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(gs).filter((t): t is tf.Tensor => t !== null)]);
  return { loss, g, peakBytes: info.peakBytes };
}

describe('leanVariableGrads', () => {
  it('equals tf.variableGrads bit for bit, leaks nothing and peaks lower', async () => {
    const { model, lossFn, dispose } = await setup();
    const vars = [...model.params.values()];
    const tensorsBefore = tf.memory().numTensors;
    const lean = await run(leanVariableGrads, lossFn, vars);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const ref = await run((f, v) => tf.variableGrads(f, v), lossFn, vars);
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    expect(lean.loss).toBe(ref.loss);
    expect([...lean.g.keys()].sort()).toEqual([...ref.g.keys()].sort());
    let compared = 0;
    for (const [name, want] of ref.g) {
      const got = lean.g.get(name)!;
      expect(want, name).not.toBeNull();
      expect(got.length, name).toBe(want!.length);
      expect(
        got.every((x, i) => Object.is(x, want![i])),
        name,
      ).toBe(true);
      compared += got.length;
    }
    expect(compared).toBe(vars.reduce((n, v) => n + v.size, 0));
    // tfjs keeps every saved activation and every intermediate gradient to the end of the pass.
    expect(lean.peakBytes).toBeLessThan(0.8 * ref.peakBytes);
    model.dispose();
    dispose();
  });

  it('gives only the listed variables gradients, none where the loss does not reach', async () => {
    const { model, lossFn, dispose } = await setup();
    const names = ['classifier.weight', 'bert.pooler.dense.bias'];
    const unused = tf.variable(tf.zeros([2]), true);
    const vars = [...names.map((n) => model.params.get(n)!), unused];
    const tensorsBefore = tf.memory().numTensors;
    const lean = await run(leanVariableGrads, lossFn, vars);
    const ref = await run((f, v) => tf.variableGrads(f, v), lossFn, vars);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(lean.g.has(unused.name)).toBe(false);
    expect(ref.g.has(unused.name)).toBe(false);
    expect(lean.g.size).toBe(names.length);
    for (const n of names) {
      const name = model.params.get(n)!.name;
      expect(Array.from(lean.g.get(name)!), n).toEqual(Array.from(ref.g.get(name)!));
    }
    unused.dispose();
    model.dispose();
    dispose();
  });
});
