import { describe, expect, it } from 'vitest';
import { downsample } from '../../../src/ui/charts/downsample';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('downsample', () => {
  it('keeps a short series whole (a copy)', () => {
    const s = range(10);
    const d = downsample(s, 240);
    expect(d).toEqual(s);
    expect(d).not.toBe(s);
  });

  it('keeps at most max points, the first and the newest', () => {
    for (const n of [241, 500, 1000, 6300, 100_000]) {
      const d = downsample(range(n), 240);
      expect(d.length).toBeLessThanOrEqual(240);
      expect(d.length).toBeGreaterThan(240 / 2 - 1);
      expect(d[0]).toBe(0);
      expect(d.at(-1)).toBe(n - 1);
    }
  });

  it('keeps the same earlier points as the series grows (no shimmer between redraws)', () => {
    const a = downsample(range(3000), 240);
    const b = downsample(range(3100), 240);
    // Same stride for both lengths: every kept point of the shorter series but its last is kept again.
    expect(b.slice(0, a.length - 1)).toEqual(a.slice(0, -1));
    const stride = a[1]! - a[0]!;
    expect(stride & (stride - 1)).toBe(0);
  });
});
