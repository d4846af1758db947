// Pure-TS batching for training: seeded per-epoch order, optional length grouping (HF Trainer
// `group_by_length` / LengthGroupedSampler: shuffle, cut into mega-batches of 50 batches, sort each
// by length, longest first), and dynamic padding to the longest row of each batch.
import { mulberry32, shuffleInPlace } from '../lib/rng';

/** One tokenised row: ids without padding, and its label (class id, or 0/1 per class for multi-label). */
export interface Example {
  inputIds: ArrayLike<number>;
  tokenTypeIds: ArrayLike<number>;
  label: number | ArrayLike<number>;
}

/** A padded batch as flat row-major [B * T] buffers (transferable, no tfjs). */
export interface PaddedBatch {
  inputIds: Int32Array;
  tokenTypeIds: Int32Array;
  attentionMask: Int32Array;
  shape: [number, number];
  /** [B] class ids, or [B * C] 0/1 floats for multi-label. */
  labels: Int32Array | Float32Array;
}

const MEGA_BATCH_MULT = 50; // HF LengthGroupedSampler default

/** Mixes numbers into a 31-bit seed (so each epoch, step and purpose gets its own stream). */
export function deriveSeed(...parts: number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193);
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
    h ^= h >>> 13;
  }
  return (h >>> 0) % 2147483647;
}

/** Row indices per batch for one epoch; the same (seed, epoch) always gives the same batches. */
export function epochBatches(
  lengths: ArrayLike<number>,
  batchSize: number,
  seed: number,
  epoch: number,
  groupByLength = false,
): number[][] {
  const rand = mulberry32(deriveSeed(seed, 0x5eed, epoch));
  const order = shuffleInPlace(
    Array.from({ length: lengths.length }, (_, i) => i),
    rand,
  );
  if (groupByLength) {
    const mega = batchSize * MEGA_BATCH_MULT;
    for (let s = 0; s < order.length; s += mega) {
      const part = order.slice(s, s + mega).sort((a, b) => lengths[b]! - lengths[a]! || a - b);
      order.splice(s, part.length, ...part);
    }
  }
  return chunk(order, batchSize);
}

/** Batches in the given order (evaluation), optionally sorted by length to cut padding. */
export function sequentialBatches(n: number, batchSize: number): number[][] {
  return chunk(
    Array.from({ length: n }, (_, i) => i),
    batchSize,
  );
}

function chunk(order: number[], size: number): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < order.length; s += size) out.push(order.slice(s, s + size));
  return out;
}

/** Pads rows `rows` of `examples` to the longest among them (right padding, mask 0, token type 0). */
export function padBatch(
  examples: readonly Example[],
  rows: readonly number[],
  padId: number,
  numLabels: number,
  multiLabel: boolean,
): PaddedBatch {
  const b = rows.length;
  const t = Math.max(1, ...rows.map((r) => examples[r]!.inputIds.length));
  const inputIds = new Int32Array(b * t).fill(padId);
  const tokenTypeIds = new Int32Array(b * t);
  const attentionMask = new Int32Array(b * t);
  const labels = multiLabel ? new Float32Array(b * numLabels) : new Int32Array(b);
  rows.forEach((r, i) => {
    const e = examples[r]!;
    for (let j = 0; j < e.inputIds.length; j++) {
      inputIds[i * t + j] = e.inputIds[j]!;
      tokenTypeIds[i * t + j] = e.tokenTypeIds[j] ?? 0;
      attentionMask[i * t + j] = 1;
    }
    if (multiLabel) {
      const y = e.label as ArrayLike<number>;
      for (let c = 0; c < numLabels; c++) labels[i * numLabels + c] = y[c] ?? 0;
    } else labels[i] = e.label as number;
  });
  return { inputIds, tokenTypeIds, attentionMask, shape: [b, t], labels };
}
