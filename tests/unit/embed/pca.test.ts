// PCA on synthetic data whose principal axes and variances are known exactly, plus a comparison with
// NumPy's SVD on random data when /usr/bin/python3 has numpy.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/lib/rng';
import { pca, pca2d, symmetricEigen } from '../../../src/train/embed';

/** Orthonormal u1, u2 in R^dim (Gram-Schmidt of two seeded random vectors). */
function axes(dim: number, seed: number): [number[], number[]] {
  const r = mulberry32(seed);
  const a = Array.from({ length: dim }, () => r() - 0.5);
  const b = Array.from({ length: dim }, () => r() - 0.5);
  const na = Math.hypot(...a);
  const u1 = a.map((x) => x / na);
  const d = b.reduce((s, x, j) => s + x * u1[j]!, 0);
  const c = b.map((x, j) => x - d * u1[j]!);
  const nc = Math.hypot(...c);
  return [u1, c.map((x) => x / nc)];
}

/**
 * x_i = mean + 3 cos(t_i) u1 + sin(t_i) u2 with t_i = 2 pi i / n: the cos and sin columns are
 * exactly centred and orthogonal, so the covariance is (9/2 u1 u1^T + 1/2 u2 u2^T) n / (n - 1).
 */
function ellipse(n: number, dim: number): { x: Float32Array; u1: number[]; u2: number[]; t: number[] } {
  const [u1, u2] = axes(dim, 5);
  const mean = Array.from({ length: dim }, (_, j) => 10 - j);
  const x = new Float32Array(n * dim);
  const t = Array.from({ length: n }, (_, i) => (2 * Math.PI * i) / n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dim; j++) x[i * dim + j] = mean[j]! + 3 * Math.cos(t[i]!) * u1[j]! + Math.sin(t[i]!) * u2[j]!;
  return { x, u1, u2, t };
}

const absDot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return Math.abs(s);
};

describe('pca', () => {
  it('finds the known axes, variances and projections of an ellipse in 12-d', () => {
    const n = 64;
    const dim = 12;
    const { x, u1, u2, t } = ellipse(n, dim);
    const r = pca(x, n, dim);
    const c1 = r.components.subarray(0, dim);
    const c2 = r.components.subarray(dim, 2 * dim);
    expect(absDot(c1, u1)).toBeGreaterThan(1 - 1e-9);
    expect(absDot(c2, u2)).toBeGreaterThan(1 - 1e-9);
    expect(r.variance[0]).toBeCloseTo((4.5 * n) / (n - 1), 4);
    expect(r.variance[1]).toBeCloseTo((0.5 * n) / (n - 1), 4);
    expect(r.varianceRatio[0]! + r.varianceRatio[1]!).toBeCloseTo(1, 5); // float32 input: the rest is rounding
    // Sign convention: each axis's largest |loading| is positive.
    for (const c of [c1, c2]) {
      const big = Array.from(c).reduce((b, v, j) => (Math.abs(v) > Math.abs(c[b]!) ? j : b), 0);
      expect(c[big]!).toBeGreaterThan(0);
    }
    const s1 = Math.sign(c1.reduce((s, v, j) => s + v * u1[j]!, 0));
    const s2 = Math.sign(c2.reduce((s, v, j) => s + v * u2[j]!, 0));
    const p = pca2d(x, n, dim);
    expect(Array.from(p)).toEqual(Array.from(r.projection));
    for (let i = 0; i < n; i++) {
      expect(p[2 * i]!).toBeCloseTo(s1 * 3 * Math.cos(t[i]!), 4);
      expect(p[2 * i + 1]!).toBeCloseTo(s2 * Math.sin(t[i]!), 4);
    }
  });

  it('is deterministic and ignores a shift of the whole set', () => {
    const { x } = ellipse(40, 6);
    const shifted = x.map((v) => v + 100);
    expect(Array.from(pca2d(x, 40, 6))).toEqual(Array.from(pca2d(x, 40, 6)));
    const a = pca2d(x, 40, 6);
    const b = pca2d(shifted, 40, 6);
    for (let i = 0; i < a.length; i++) expect(b[i]!).toBeCloseTo(a[i]!, 3);
  });

  it('handles a degenerate (isotropic) plane: any orthonormal pair, equal variances', () => {
    const n = 8;
    const x = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      x[i * 3] = Math.cos((2 * Math.PI * i) / n);
      x[i * 3 + 1] = Math.sin((2 * Math.PI * i) / n);
    }
    const r = pca(x, n, 3, { maxIterations: 50 });
    expect(r.variance[0]).toBeCloseTo(r.variance[1]!, 9);
    expect(absDot(r.components.subarray(0, 3), r.components.subarray(3, 6))).toBeLessThan(1e-9);
    expect(Math.abs(r.components[2]!) + Math.abs(r.components[5]!)).toBeLessThan(1e-9);
  });

  it('rejects impossible requests', () => {
    expect(() => pca(new Float32Array(6), 2, 3, { components: 4 })).toThrow(/components/);
    expect(() => pca(new Float32Array(3), 1, 3)).toThrow(/at least 2/);
    expect(() => pca(new Float32Array(5), 2, 3)).toThrow(/fill/);
  });

  it('symmetricEigen diagonalises a known 3x3 matrix', () => {
    // [[2,1,0],[1,2,0],[0,0,5]]: eigenvalues 5, 3, 1.
    const e = symmetricEigen([
      [2, 1, 0],
      [1, 2, 0],
      [0, 0, 5],
    ]);
    expect(e.values.map((v) => Number(v.toFixed(12)))).toEqual([5, 3, 1]);
    expect(absDot(e.vectors[1]!, [Math.SQRT1_2, Math.SQRT1_2, 0])).toBeCloseTo(1, 12);
  });

  const python = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
  if (!python) console.log('skipping the NumPy SVD comparison: /usr/bin/python3 with numpy is not available');
  it.runIf(python)('matches NumPy SVD axes on random 300 x 64 data', () => {
    const n = 300;
    const dim = 64;
    const r = mulberry32(9);
    // Decaying column scales so the top two axes are well separated, as in real embeddings.
    const x = Float32Array.from({ length: n * dim }, (_, k) => (r() - 0.5) * (1 + 4 / (1 + (k % dim))));
    const script =
      'import sys, json, numpy as np\n' +
      'x = np.array(json.loads(sys.stdin.read()), dtype=np.float64).reshape(' +
      `${n}, ${dim})\n` +
      'x -= x.mean(0)\n' +
      'u, s, vt = np.linalg.svd(x, full_matrices=False)\n' +
      'print(json.dumps({"vt": vt[:2].ravel().tolist(), "var": (s[:2] ** 2 / (x.shape[0] - 1)).tolist()}))';
    const res = spawnSync('/usr/bin/python3', ['-c', script], {
      input: JSON.stringify(Array.from(x)),
      encoding: 'utf8',
    });
    const ref = JSON.parse(res.stdout) as { vt: number[]; var: number[] };
    const ours = pca(x, n, dim);
    expect(absDot(ours.components.subarray(0, dim), ref.vt.slice(0, dim))).toBeGreaterThan(1 - 1e-9);
    expect(absDot(ours.components.subarray(dim), ref.vt.slice(dim))).toBeGreaterThan(1 - 1e-9);
    expect(ours.variance[0]).toBeCloseTo(ref.var[0]!, 8);
    expect(ours.variance[1]).toBeCloseTo(ref.var[1]!, 8);
  });
});
