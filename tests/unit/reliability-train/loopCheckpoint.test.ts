// The loop's onCheckpoint hook on the parity fixture's tiny BERT: a state handed out at an epoch
// end or mid-epoch (by the clock) resumes to the same final weights as the uninterrupted run.
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeFolderSource } from '../../../src/model/checkpoint/nodeSource';
import type { Example } from '../../../src/train/batches';
import type { SequenceClassifier } from '../../../src/train/classifier';
import { loadClassifier } from '../../../src/train/loadModel';
import { train, type TrainOptions, type TrainState } from '../../../src/train/loop';
import { snapshotWeights } from '../../../src/train/trainState';
import { mulberry32 } from '../../../src/lib/rng';
import { PARITY_DIR, useWasm } from '../train/helpers';
import { sameWeights } from './helpers';

beforeAll(useWasm);

/** Label 1 iff token 1050 occurs. */
function synthetic(n: number, seed: number): Example[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const len = 3 + Math.floor(rand() * 8);
    const ids = Array.from({ length: len }, () => 1000 + Math.floor(rand() * 49));
    if (i % 2) ids[Math.floor(rand() * len)] = 1050;
    return { inputIds: [101, ...ids, 102], tokenTypeIds: new Array<number>(len + 2).fill(0), label: i % 2 };
  });
}

const DATA = { train: synthetic(48, 1), valid: synthetic(16, 2), padId: 0 };
const OPTS: Partial<TrainOptions> = {
  epochs: 3,
  batchSize: 8,
  lr: 3e-3,
  seed: 5,
  reportIntervalMs: 0,
  warmupRatio: 0.1,
};

async function tinyModel(): Promise<SequenceClassifier> {
  const src = nodeFolderSource(`${PARITY_DIR}/bert-seqcls`);
  return (await loadClassifier(src, { labels: ['no', 'yes'], head: { kind: 'linear' }, multiLabel: false, seed: 3 }))
    .model;
}

/** A clock that moves 100 ms each time it is read. */
function ticking(): () => number {
  let t = 0;
  return () => (t += 100);
}

describe('loop checkpoints', () => {
  it('hands out epoch-end and timed states that each resume to the uninterrupted result', async () => {
    const a = await tinyModel();
    const states: TrainState[] = [];
    await train(a, DATA, OPTS, () => undefined, undefined, undefined, {
      now: ticking(),
      checkpointEveryMs: 1500,
      onCheckpoint: async (s) => void states.push(s),
    });
    const final = await snapshotWeights(a.params);
    a.dispose();
    const ends = states.filter((s) => s.batchInEpoch === 0);
    const mid = states.filter((s) => s.batchInEpoch > 0);
    // Epoch ends but the last; the checkpoint points at the next epoch's first batch.
    expect(ends.map((s) => [s.epoch, s.globalStep, s.history.length])).toEqual([
      [1, 6, 1],
      [2, 12, 2],
    ]);
    expect(mid.length).toBeGreaterThan(0);
    for (const from of [ends[0]!, mid.at(-1)!]) {
      const b = await tinyModel();
      const res = await train(b, DATA, OPTS, () => undefined, undefined, structuredClone(from));
      expect(res.reason).toBe('completed');
      expect(res.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
      expect(sameWeights(final, await snapshotWeights(b.params))).toEqual([]);
      b.dispose();
    }
  });
});
