import { describe, expect, it } from 'vitest';
import { cosineSimilarity, topKSimilar } from '../../../src/train/embed';

// Five 3-d vectors with hand-computable cosines to q = (1, 0, 0).
const V = new Float32Array([
  1,
  0,
  0, // 0: cos 1
  0,
  1,
  0, // 1: cos 0
  1,
  1,
  0, // 2: cos 1/sqrt2
  -1,
  0,
  0, // 3: cos -1
  2,
  0,
  0, // 4: cos 1 (length does not matter)
]);

describe('topKSimilar', () => {
  it('ranks by cosine, ties by lower index', () => {
    const r = topKSimilar(V, 5, 3, [1, 0, 0], 4);
    expect(r.map((x) => x.index)).toEqual([0, 4, 2, 1]);
    expect(r[0]!.score).toBeCloseTo(1, 7);
    expect(r[2]!.score).toBeCloseTo(Math.SQRT1_2, 7);
    expect(r[3]!.score).toBe(0);
  });

  it('returns everything when k exceeds n and can exclude the query row', () => {
    const r = topKSimilar(V, 5, 3, V.subarray(0, 3), 10, 0);
    expect(r.map((x) => x.index)).toEqual([4, 2, 1, 3]);
    expect(r[3]!.score).toBeCloseTo(-1, 7);
  });

  it('defaults to k = 10 and checks shapes', () => {
    const many = Float32Array.from({ length: 30 * 2 }, (_, i) => (i % 2 ? i : 1));
    expect(topKSimilar(many, 30, 2, [1, 0]).length).toBe(10);
    expect(() => topKSimilar(V, 5, 3, [1, 0])).toThrow(/query/);
    expect(() => topKSimilar(V, 4, 3, [1, 0, 0])).toThrow(/fill/);
  });

  it('cosine of a zero vector is 0', () => {
    expect(cosineSimilarity([0, 0], [1, 2])).toBe(0);
    expect(cosineSimilarity([3, 4], [4, 3])).toBeCloseTo(24 / 25, 12);
  });
});
