import { describe, expect, it } from 'vitest';
import { epochBatches, padBatch, type Example } from '../../../src/train/batches';

describe('epochBatches', () => {
  const lengths = Array.from({ length: 103 }, (_, i) => (i * 37) % 50);
  it('covers every row once, depends only on (seed, epoch)', () => {
    const a = epochBatches(lengths, 10, 1, 0);
    expect(a.length).toBe(11);
    expect(a.flat().sort((x, y) => x - y)).toEqual(lengths.map((_, i) => i));
    expect(epochBatches(lengths, 10, 1, 0)).toEqual(a);
    expect(epochBatches(lengths, 10, 1, 1)).not.toEqual(a);
    expect(epochBatches(lengths, 10, 2, 0)).not.toEqual(a);
  });
  it('group-by-length sorts each mega-batch longest first', () => {
    const g = epochBatches(lengths, 2, 1, 0, true); // mega-batch = 100 rows
    const flat = g.flat();
    const first = flat.slice(0, 100).map((i) => lengths[i]!);
    expect(first).toEqual([...first].sort((x, y) => y - x));
    expect(flat.slice(0, 100).sort()).toEqual(epochBatches(lengths, 2, 1, 0).flat().slice(0, 100).sort());
  });
});

describe('padBatch', () => {
  it('pads right to the longest row with mask 0', () => {
    const ex: Example[] = [
      { inputIds: [101, 5, 102], tokenTypeIds: [0, 0, 0], label: 1 },
      { inputIds: [101, 7, 8, 9, 102], tokenTypeIds: [0, 0, 0, 1, 1], label: 0 },
    ];
    const b = padBatch(ex, [0, 1], 0, 2, false);
    expect(b.shape).toEqual([2, 5]);
    expect(Array.from(b.inputIds)).toEqual([101, 5, 102, 0, 0, 101, 7, 8, 9, 102]);
    expect(Array.from(b.attentionMask)).toEqual([1, 1, 1, 0, 0, 1, 1, 1, 1, 1]);
    expect(Array.from(b.tokenTypeIds)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(Array.from(b.labels)).toEqual([1, 0]);
    const multi = padBatch([{ inputIds: [1], tokenTypeIds: [0], label: [0, 1, 1] }], [0], 0, 3, true);
    expect(Array.from(multi.labels)).toEqual([0, 1, 1]);
  });
});
