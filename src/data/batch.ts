// Batches for dynamic padding: rows of similar length go together so little compute is spent on
// padding. Pure index arithmetic so the trainer (and tests) can use it without tensors.
import { mulberry32, shuffleInPlace } from '../lib/rng';

export interface BatchOptions {
  shuffle: boolean;
  seed: number;
  /** Sort by length within windows of `bucket` batches (e.g. 50); omit for no length grouping. */
  bucket?: number;
}

/** Every index 0..lengths.length-1 appears in exactly one batch; the last batch may be short. */
export function makeBatches(lengths: number[], batchSize: number, opts: BatchOptions): number[][] {
  if (!(batchSize >= 1)) throw new Error(`batchSize must be >= 1, got ${batchSize}`);
  const rand = mulberry32(opts.seed);
  const order = Array.from(lengths, (_, i) => i);
  if (opts.shuffle) shuffleInPlace(order, rand);
  const window = opts.bucket && opts.bucket > 0 ? opts.bucket * batchSize : 0;
  if (window > 0) {
    for (let s = 0; s < order.length; s += window) {
      const part = order.slice(s, s + window).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
      order.splice(s, part.length, ...part);
    }
  }
  const batches: number[][] = [];
  for (let s = 0; s < order.length; s += batchSize) batches.push(order.slice(s, s + batchSize));
  // sorted windows would otherwise always run short-to-long
  if (window > 0 && opts.shuffle) shuffleInPlace(batches, rand);
  return batches;
}

/** Padded length of each batch (its longest row), for estimating compute. */
export function batchPaddedLengths(lengths: number[], batches: number[][]): number[] {
  return batches.map((b) => Math.max(0, ...b.map((i) => lengths[i]!)));
}
