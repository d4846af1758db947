// PCA for embedding maps: centre, then the top principal axes by block power (subspace)
// iteration on the implicit covariance X^T X (never forming the dim x dim matrix: 2 N D flops per
// vector per sweep) with a Rayleigh-Ritz step, as in Halko, Martinsson & Tropp (2011) Alg. 4.4.
// Signs follow sklearn's svd_flip(u_based_decision=False): each axis's largest |loading| is positive.
import { mulberry32 } from '../../lib/rng';

export interface PcaOptions {
  /** Principal axes to return (default 2). */
  components?: number;
  /** Extra vectors carried along; the convergence rate is lambda_{k+p+1} / lambda_k (default 4). */
  oversample?: number;
  maxIterations?: number;
  /** Stop when each axis's residual ||C a - lambda a|| is below this times the top eigenvalue (default 1e-9). */
  tolerance?: number;
}

export interface PcaResult {
  /** Projections [N * k], row-major. */
  projection: Float32Array;
  /** Unit axes [k * D], row-major (row c = axis c). */
  components: Float64Array;
  /** Variance along each axis (eigenvalues of the covariance, divisor N - 1 as sklearn). */
  variance: number[];
  /** Share of the total variance each axis explains. */
  varianceRatio: number[];
}

/** Column means and a centred float64 copy of X [n, dim]. */
function centre(x: ArrayLike<number>, n: number, dim: number): Float64Array {
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j]! += x[i * dim + j]!;
  for (let j = 0; j < dim; j++) mean[j]! /= n;
  const c = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) c[i * dim + j] = x[i * dim + j]! - mean[j]!;
  return c;
}

/** W = X^T X V for column-stacked V [m][dim]: one pass over the rows per vector block. */
function covTimes(x: Float64Array, n: number, dim: number, v: Float64Array[]): Float64Array[] {
  const out = v.map(() => new Float64Array(dim));
  for (let i = 0; i < n; i++) {
    const row = i * dim;
    for (let c = 0; c < v.length; c++) {
      const vc = v[c]!;
      let s = 0;
      for (let j = 0; j < dim; j++) s += x[row + j]! * vc[j]!;
      const oc = out[c]!;
      for (let j = 0; j < dim; j++) oc[j]! += s * x[row + j]!;
    }
  }
  return out;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
};

/** Modified Gram-Schmidt in place; a vector that collapses is replaced by a fresh random one. */
function orthonormalise(v: Float64Array[], rand: () => number): void {
  for (let c = 0; c < v.length; c++) {
    const vc = v[c]!;
    for (let attempt = 0; attempt < 3; attempt++) {
      for (let p = 0; p < c; p++) {
        const d = dot(vc, v[p]!);
        for (let j = 0; j < vc.length; j++) vc[j]! -= d * v[p]![j]!;
      }
      const norm = Math.sqrt(dot(vc, vc));
      if (norm > 1e-12) {
        for (let j = 0; j < vc.length; j++) vc[j]! /= norm;
        break;
      }
      for (let j = 0; j < vc.length; j++) vc[j] = rand() - 0.5;
    }
  }
}

/** Eigen-decomposition of a small symmetric matrix by cyclic Jacobi; eigenvalues descending. */
export function symmetricEigen(a: number[][]): { values: number[]; vectors: number[][] } {
  const m = a.length;
  const s = a.map((r) => [...r]);
  const q = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j): number => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) off += s[i]![j]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < m; p++)
      for (let r = p + 1; r < m; r++) {
        const apr = s[p]![r]!;
        if (Math.abs(apr) < 1e-300) continue;
        const theta = (s[r]![r]! - s[p]![p]!) / (2 * apr);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < m; k++) {
          const skp = s[k]![p]!;
          const skr = s[k]![r]!;
          s[k]![p] = c * skp - sn * skr;
          s[k]![r] = sn * skp + c * skr;
        }
        for (let k = 0; k < m; k++) {
          const spk = s[p]![k]!;
          const srk = s[r]![k]!;
          s[p]![k] = c * spk - sn * srk;
          s[r]![k] = sn * spk + c * srk;
        }
        for (let k = 0; k < m; k++) {
          const qkp = q[k]![p]!;
          const qkr = q[k]![r]!;
          q[k]![p] = c * qkp - sn * qkr;
          q[k]![r] = sn * qkp + c * qkr;
        }
      }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => s[j]![j]! - s[i]![i]!);
  return { values: order.map((i) => s[i]![i]!), vectors: order.map((i) => q.map((row) => row[i]!)) };
}

/** Ritz step: rotate the orthonormal block V (and C V with it) to the eigenvectors of V^T C V. */
function rayleighRitz(
  v: Float64Array[],
  cv: Float64Array[],
): { axes: Float64Array[]; cAxes: Float64Array[]; values: number[] } {
  const m = v.length;
  const small = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => dot(v[i]!, cv[j]!)));
  for (let i = 0; i < m; i++)
    for (let j = 0; j < i; j++) small[i]![j] = small[j]![i] = (small[i]![j]! + small[j]![i]!) / 2;
  const eig = symmetricEigen(small);
  const rotate = (block: Float64Array[]): Float64Array[] =>
    eig.vectors.map((coef) => {
      const a = new Float64Array(block[0]!.length);
      coef.forEach((w, c) => {
        for (let j = 0; j < a.length; j++) a[j]! += w * block[c]![j]!;
      });
      return a;
    });
  return { axes: rotate(v), cAxes: rotate(cv), values: eig.values };
}

export function pca(vectors: ArrayLike<number>, n: number, dim: number, opts: PcaOptions = {}): PcaResult {
  const k = opts.components ?? 2;
  if (vectors.length !== n * dim) throw new Error(`${vectors.length} values do not fill a (${n}, ${dim}) matrix`);
  if (!(k >= 1 && k <= dim)) throw new Error(`cannot take ${k} components of ${dim}-dimensional vectors`);
  if (n < 2) throw new Error(`PCA needs at least 2 vectors, got ${n}`);
  const x = centre(vectors, n, dim);
  const m = Math.min(dim, k + (opts.oversample ?? 4));
  const rand = mulberry32(0x9ca); // fixed start: the same input always gives the same axes
  let v: Float64Array[] = Array.from({ length: m }, () => Float64Array.from({ length: dim }, () => rand() - 0.5));
  orthonormalise(v, rand);
  let values: number[] = [];
  const maxIt = opts.maxIterations ?? 500;
  for (let it = 0; it < maxIt; it++) {
    const ritz = rayleighRitz(v, covTimes(x, n, dim, v));
    values = ritz.values;
    v = ritz.axes;
    // Residual ||C a - lambda a|| goes to 0 even inside a degenerate eigenspace, unlike the axes.
    const tol = (opts.tolerance ?? 1e-9) * Math.max(Math.abs(values[0]!), 1e-300);
    const converged = ritz.axes.slice(0, k).every((a, c) => {
      const ca = ritz.cAxes[c]!;
      let r = 0;
      for (let j = 0; j < dim; j++) r += (ca[j]! - values[c]! * a[j]!) ** 2;
      return Math.sqrt(r) <= tol;
    });
    if (converged || it === maxIt - 1) break;
    // One power step: C (V Q) = (C V) Q, so the next block costs no extra pass over the data.
    v = ritz.cAxes;
    orthonormalise(v, rand);
  }
  return finish(x, n, dim, v.slice(0, k), values.slice(0, k));
}

function finish(x: Float64Array, n: number, dim: number, axes: Float64Array[], eig: number[]): PcaResult {
  const k = axes.length;
  for (const a of axes) {
    let big = 0;
    for (let j = 1; j < dim; j++) if (Math.abs(a[j]!) > Math.abs(a[big]!)) big = j;
    if (a[big]! < 0) for (let j = 0; j < dim; j++) a[j] = -a[j]!;
  }
  const components = new Float64Array(k * dim);
  axes.forEach((a, c) => components.set(a, c * dim));
  const projection = new Float32Array(n * k);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += x[i * dim + j]! * axes[c]![j]!;
      projection[i * k + c] = s;
    }
  let total = 0;
  for (let i = 0; i < x.length; i++) total += x[i]! * x[i]!;
  const variance = eig.map((e) => Math.max(0, e) / (n - 1));
  return {
    projection,
    components,
    variance,
    varianceRatio: variance.map((v) => (total > 0 ? (v * (n - 1)) / total : 0)),
  };
}

/** 2-d map of the vectors: [N * 2] projections on the top two principal axes. */
export function pca2d(vectors: ArrayLike<number>, n: number, dim: number): Float32Array {
  return pca(vectors, n, dim, { components: 2 }).projection;
}
