// embedTexts against the PyTorch parity fixture: the fixture's bert-base last_hidden_state pooled by
// hand (mean over attention_mask == 1, or row 0) must equal what our batched, length-sorted
// pipeline computes from the raw texts, on the cpu and wasm backends.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFolderSource } from '../../../src/model/checkpoint/nodeSource';
import type { TextInput } from '../../../src/tokenizer';
import { embedTexts, loadEmbedder, type LoadedEmbedder } from '../../../src/train/embed';
import { BACKENDS, fixture, out, useBackend } from '../model/helpers';
import { maxAbsDiff, PARITY_DIR } from '../train/helpers';

const H = 16;
const TOL = 1e-5;

/** Hand pooling of the fixture's [B, S, H] last_hidden_state with its [B, S] mask. */
function handPool(pooling: 'mean' | 'cls', normalize: boolean): Float32Array {
  const hs = out('main.base.last_hidden_state');
  const mask = out('main.attention_mask').data;
  const [b, s] = hs.shape as [number, number, number];
  const res = new Float32Array(b * H);
  for (let i = 0; i < b; i++) {
    const v = new Float64Array(H);
    let count = 0;
    for (let t = 0; t < (pooling === 'cls' ? 1 : s); t++) {
      if (pooling === 'mean' && mask[i * s + t] !== 1) continue;
      count++;
      for (let j = 0; j < H; j++) v[j]! += hs.data[(i * s + t) * H + j]!;
    }
    let norm = 0;
    for (let j = 0; j < H; j++) norm += (v[j]! / count) ** 2;
    for (let j = 0; j < H; j++) res[i * H + j] = v[j]! / count / (normalize ? Math.sqrt(norm) : 1);
  }
  return res;
}

function fixtureTexts(): TextInput[] {
  const texts = (fixture() as unknown as { texts: Array<string | [string, string]> }).texts;
  return texts.map((t) => (typeof t === 'string' ? t : ([t[0], t[1]] as const)));
}

describe.each(BACKENDS)('embedTexts on %s', (backend) => {
  let emb: LoadedEmbedder;
  beforeAll(async () => {
    await useBackend(backend);
    emb = await loadEmbedder(nodeFolderSource(`${PARITY_DIR}/bert-base`));
  });
  afterAll(() => emb.model.dispose());

  it('loads the encoder with every tensor from the checkpoint', () => {
    expect(emb.report.initialised).toEqual([]);
    expect(emb.model.config.hidden_size).toBe(H);
  });

  it.each([
    ['mean', false],
    ['mean', true],
    ['cls', false],
    ['cls', true],
  ] as const)('%s pooling (normalize %s) equals the hand computation', async (pooling, normalize) => {
    const texts = fixtureTexts();
    expect(texts.length).toBe(11);
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const got = await embedTexts(emb.model, emb.tokenizer, texts, {
      pooling,
      normalize,
      maxLength: 64,
      batchSize: 4, // 3 batches of mixed lengths: exercises sorting, padding and scattering back
      onProgress: (done, total) => progress.push(done / total),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(got.length).toBe(11 * H);
    expect(progress).toEqual([4 / 11, 8 / 11, 1]);
    expect(maxAbsDiff(got, handPool(pooling, normalize))).toBeLessThan(TOL);
  });

  it('gives each text the same vector whatever its batch-mates (padding is masked out)', async () => {
    const texts = fixtureTexts();
    const all = await embedTexts(emb.model, emb.tokenizer, texts, { maxLength: 64, batchSize: 11 });
    const one = await embedTexts(emb.model, emb.tokenizer, [texts[3]!], { maxLength: 64 });
    expect(maxAbsDiff(one, all.subarray(3 * H, 4 * H))).toBeLessThan(TOL);
  });

  it('truncates to maxLength as the fixture trunc batch does', async () => {
    const texts = fixtureTexts();
    const got = await embedTexts(emb.model, emb.tokenizer, texts, { maxLength: 16, batchSize: 5 });
    const hs = out('trunc.base.last_hidden_state');
    const mask = out('trunc.attention_mask').data;
    const s = hs.shape[1]!;
    const want = new Float32Array(11 * H);
    for (let i = 0; i < 11; i++) {
      let count = 0;
      for (let t = 0; t < s; t++) {
        if (mask[i * s + t] !== 1) continue;
        count++;
        for (let j = 0; j < H; j++) want[i * H + j]! += hs.data[(i * s + t) * H + j]!;
      }
      for (let j = 0; j < H; j++) want[i * H + j]! /= count;
    }
    expect(maxAbsDiff(got, want)).toBeLessThan(TOL);
  });

  it('handles an empty list and rejects a bad batch size', async () => {
    expect((await embedTexts(emb.model, emb.tokenizer, [])).length).toBe(0);
    await expect(embedTexts(emb.model, emb.tokenizer, ['a'], { batchSize: 0 })).rejects.toThrow(/batch size/);
  });
});
