// 3 AdamW steps on bert-seqcls against torch.optim.AdamW (fixture README, section `adamw`).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeFolderSource } from '../../../src/model/checkpoint/nodeSource';
import { loadClassifier } from '../../../src/train/loadModel';
import { AdamW, decayApplies, disposeMap } from '../../../src/train/optimizer';
import { computeLoss, lossAndGrads } from '../../../src/train/step';
import { maxAbsDiff, PARITY_DIR, parityFixture, useWasm } from './helpers';

beforeAll(useWasm);

describe('AdamW parity with torch (bert-seqcls fixture)', () => {
  it('matches losses (rel 1e-4) and parameters after 3 steps (abs 2e-6)', async () => {
    const { fixture, outputs } = await parityFixture();
    const { model } = await loadClassifier(nodeFolderSource(`${PARITY_DIR}/bert-seqcls`), {
      labels: ['negative', 'neutral', 'positive'],
      head: { kind: 'linear' },
      multiLabel: false,
      seed: 0,
    });
    const names = [...model.params.keys()];
    expect(names.filter(decayApplies).sort()).toEqual([...fixture.adamw.decay_params].sort());
    expect(names.filter((n) => !decayApplies(n)).sort()).toEqual([...fixture.adamw.no_decay_params].sort());

    const main = fixture.batches.main!;
    const before = tf.memory().numTensors;
    const batch = {
      inputIds: tf.tensor2d(main.input_ids, undefined, 'int32'),
      tokenTypeIds: tf.tensor2d(main.token_type_ids, undefined, 'int32'),
      attentionMask: tf.tensor2d(main.attention_mask, undefined, 'int32'),
    };
    const labels = tf.tensor1d(fixture.labels.seqcls, 'int32');
    // Both HF losses of the fixture through the training loss (single-label CE, multi-label BCE).
    const multiHot = tf.tensor2d(fixture.labels.seqcls_multi_hot);
    const bce = computeLoss(
      model,
      { kind: 'tokens', batch },
      multiHot,
      { multiLabel: true, classWeights: null },
      false,
      0,
    );
    expect(
      Math.abs(bce.dataSync()[0]! - fixture.losses.seqcls_multi_label_bce!) / fixture.losses.seqcls_multi_label_bce!,
    ).toBeLessThan(1e-4);
    const ce = computeLoss(
      model,
      { kind: 'tokens', batch },
      labels,
      { multiLabel: false, classWeights: null },
      false,
      0,
    );
    expect(
      Math.abs(ce.dataSync()[0]! - fixture.losses.seqcls_single_label_ce!) / fixture.losses.seqcls_single_label_ce!,
    ).toBeLessThan(1e-4);
    tf.dispose([multiHot, bce, ce]);
    const opt = new AdamW(model.params, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 });
    const losses: number[] = [];
    for (let step = 0; step < 3; step++) {
      const { loss, grads } = lossAndGrads(
        model,
        model.params,
        { kind: 'tokens', batch },
        labels,
        { multiLabel: false, classWeights: null },
        false,
        0,
      );
      losses.push(loss.dataSync()[0]!);
      loss.dispose();
      opt.step(grads, 1e-3);
      disposeMap(grads);
    }
    const loss = computeLoss(
      model,
      { kind: 'tokens', batch },
      labels,
      { multiLabel: false, classWeights: null },
      false,
      0,
    );
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
    fixture.adamw.loss_before_step_1_2_3_and_after_3.forEach((want, i) =>
      expect(Math.abs(losses[i]! - want) / want).toBeLessThan(1e-4),
    );

    const exported = await model.exportWeights();
    const probe = outputs.get('adamw.word_embeddings.probe_row_ids')!.data;
    let checked = 0;
    for (const [key, want] of outputs) {
      if (!key.startsWith('adamw.after3.')) continue;
      const name = key.slice('adamw.after3.'.length);
      if (name.endsWith('[probe_row_ids]')) {
        const w = exported.get(name.replace('[probe_row_ids]', ''))!;
        const h = w.shape[1]!;
        const rows = Array.from(probe).flatMap((r) => Array.from(w.data.subarray(r * h, (r + 1) * h)));
        expect(maxAbsDiff(rows, want.data)).toBeLessThan(2e-6);
      } else {
        const got = exported.get(name)!;
        expect(got.shape).toEqual(want.shape);
        expect(maxAbsDiff(got.data, want.data)).toBeLessThan(2e-6);
      }
      checked++;
    }
    expect(checked).toBe(9);
    opt.dispose();
    tf.dispose([batch.inputIds, batch.tokenTypeIds, batch.attentionMask, labels]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
