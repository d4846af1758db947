// Seeded train/validation/test splits. Stratified: each class is shuffled and cut separately, so
// every split holds each class's share to within one row.
import { mulberry32, shuffleInPlace } from '../lib/rng';
import { DataError } from './errors';

export interface SplitResult {
  /** 0-based row indices, ascending. */
  train: number[];
  validation: number[];
  test: number[];
}

export interface SplitOptions {
  validation: number;
  test?: number;
  seed: number;
}

/** `keys[i]` is row i's stratum (its label, or a label combination for multi-label). */
export function stratifiedSplit(keys: string[], opts: SplitOptions): SplitResult {
  const fv = opts.validation;
  const ft = opts.test ?? 0;
  if (!(fv >= 0 && ft >= 0 && fv + ft < 1))
    throw new DataError(
      'bad-split',
      `Split fractions must be >= 0 and leave rows for training (validation ${fv}, test ${ft}).`,
    );
  const rand = mulberry32(opts.seed);
  const groups = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  const out: SplitResult = { train: [], validation: [], test: [] };
  // visit strata in a fixed order so the result depends only on the seed and the data
  for (const key of [...groups.keys()].sort()) {
    const idx = shuffleInPlace(groups.get(key)!, rand);
    const nVal = Math.round(idx.length * fv);
    const nTest = Math.min(idx.length - nVal, Math.round(idx.length * ft));
    out.validation.push(...idx.slice(0, nVal));
    out.test.push(...idx.slice(nVal, nVal + nTest));
    out.train.push(...idx.slice(nVal + nTest));
  }
  for (const part of [out.train, out.validation, out.test]) part.sort((a, b) => a - b);
  return out;
}

const SPLIT_NAMES: Record<string, keyof SplitResult> = {
  train: 'train',
  training: 'train',
  trn: 'train',
  validation: 'validation',
  valid: 'validation',
  val: 'validation',
  dev: 'validation',
  development: 'validation',
  eval: 'validation',
  test: 'test',
  testing: 'test',
  tst: 'test',
  holdout: 'test',
};

/** Split by a column holding train/dev/test-style names; rows with other values are listed, not dropped. */
export function splitByColumn(values: string[]): SplitResult & { unknown: number[] } {
  const out = { train: [] as number[], validation: [] as number[], test: [] as number[], unknown: [] as number[] };
  values.forEach((v, i) => {
    const part = SPLIT_NAMES[v.trim().toLowerCase()];
    (part ? out[part] : out.unknown).push(i);
  });
  return out;
}
