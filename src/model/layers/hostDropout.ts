// Dropout with tf.dropout's exact numbers, its mask drawn straight into tensor memory on the wasm
// and cpu backends (hostMemory.ts). tf.dropout (tfjs-core 4.22 ops/dropout.ts) is
// x * floor(randomUniform(seed) + keepProb) / keepProb: randomUniform fills a Float32Array from
// seedrandom's alea, then an upload and four kernels follow (25 cpu-ms for 2M elements on Node
// wasm, bench/dropoutProbe.ts). Here one loop runs the Alea generator (Johannes Baagøe, 2010,
// "Better random numbers for javascript": the Mash seeding and the multiply-with-carry step) with
// its state in locals and writes the multiplier into a tensor the backend allocated; the backend's
// Mul applies it (7 cpu-ms). Every step gives what tfjs's float32 tensors hold, so the output, the
// mask and the gradient are tf.dropout's bit for bit (tests/unit/model/hostDropout.test.ts). GPU
// backends keep tf.dropout: its uniforms come from the same host generator, so all draw one mask.
import * as tf from '@tensorflow/tfjs';
import { activeHostMemory, tensorOf } from '../hostMemory';

const TWO_POW_M32 = 2.3283064365386963e-10; // 2^-32
const MASH_START = 0xefc8249d; // Baagøe's Mash initial state
const MASH_MUL = 0.02519603282416938; // Baagøe's Mash multiplier
const ALEA_MUL = 2091639; // Baagøe's Alea multiplier

/**
 * Alea's seeding: one Mash state hashed over ' ' three times, then over the seed string three
 * times, each seed hash subtracted (mod 1) from the matching ' ' hash. Returns [s0, s1, s2].
 */
function aleaSeed(seed: string): Float64Array {
  let n = MASH_START;
  const mash = (data: string): number => {
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = MASH_MUL * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000;
    }
    return (n >>> 0) * TWO_POW_M32;
  };
  const s = Float64Array.of(mash(' '), mash(' '), mash(' '));
  for (let k = 0; k < 3; k++) {
    let v = s[k]! - mash(seed);
    if (v < 0) v += 1;
    s[k] = v;
  }
  return s;
}

/**
 * tf.dropout keeps an element when floor(float32(float32(u) + keepProb)) is 1, u an Alea draw (a
 * multiple of 2^-32 in [0, 1)). That test only grows with u, so it is u >= t for the least such t
 * on the 2^-32 grid, found here by bisection. In the loop, floor(u + (1 - t)) is then the keep
 * bit, exactly (all three are multiples of 2^-32 below 2), without the two float32 roundings per
 * element that cost as much as the generator itself.
 */
export function keepThreshold(keepProb: number): number {
  let lo = 0;
  let hi = 2 ** 32;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (Math.fround(Math.fround(mid * TWO_POW_M32) + keepProb) >= 1) hi = mid;
    else lo = mid + 1;
  }
  return lo * TWO_POW_M32;
}

/** keepProb values for which tf.dropout's floor(...) is only ever 0 or 1 (not 2: keepProb < 1 - 2^-23). */
function hasBinaryMask(keepProb: number): boolean {
  return keepProb > 0 && Math.fround(1 + keepProb) < 2;
}

/**
 * Writes tf.dropout's multiplier for `seed` into `mask`: floor(u + keepProb) / keepProb in float32,
 * 0 or float32(1 / keepProb). `keepProb` is float32, as tfjs's scalar tensor holds it, and must
 * pass hasBinaryMask.
 */
export function fillDropoutMask(mask: Float32Array, keepProb: number, seed: string): void {
  const state = aleaSeed(seed);
  let s0 = state[0]!;
  let s1 = state[1]!;
  let s2 = state[2]!;
  let carry = TWO_POW_M32; // Alea's carry c (starts at 1), kept scaled by 2^-32
  const offset = 1 - keepThreshold(keepProb);
  const scale = Math.fround(1 / keepProb); // tf.div(1, keepProb) in float32
  const n = mask.length;
  for (let i = 0; i < n; i++) {
    // Alea's step is t = A * s0 + c * 2^-32, c = floor(t), s = t - c: every value is a multiple of
    // 2^-32 below 2^21, so all of it is exact in doubles. Splitting A * s0 into its integer and
    // fractional parts first takes the float-int-float round trip of c off the loop-carried chain
    // (the carry into the integer part is rare and predicted): 2.2 instead of 5.5 ns per number.
    const p = ALEA_MUL * s0;
    const q = p | 0;
    let s = p - q + carry;
    carry = q * TWO_POW_M32;
    if (s >= 1) {
      s -= 1;
      carry += TWO_POW_M32;
    }
    s0 = s1;
    s1 = s2;
    s2 = s;
    mask[i] = Math.floor(s + offset) * scale;
  }
}

/**
 * tf.dropout(x, rate, undefined, seed) with the same values and gradient; on wasm and cpu the mask
 * is drawn in tensor memory, elsewhere (or for non-float32 x) it is tf.dropout itself.
 */
export function dropout(x: tf.Tensor, rate: number, seed: number | string): tf.Tensor {
  const keepProb = Math.fround(1 - rate);
  if (!activeHostMemory() || x.dtype !== 'float32' || !(rate > 0 && rate < 1) || !hasBinaryMask(keepProb))
    return tf.dropout(x, rate, undefined, seed);
  const seedText = String(seed); // randomUniform seeds alea with seed.toString()
  // x * mask, the mask kept for the backward pass, where dx = dy * mask as in tf.mul's gradient. The
  // mask is made inside the forward (whose tidy frees it unless the tape keeps it) and is not an
  // input, so no gradient is asked for it.
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [sx, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const { out, views } = activeHostMemory()!.alloc(sx.shape, 'float32', []);
    fillDropoutMask(views[0] as Float32Array, keepProb, seedText);
    const mask = tensorOf(out);
    save([mask]);
    return {
      // The backend's Mul, as tf.dropout's last op (a JS multiply in the loop above cost more).
      value: tf.mul(sx, mask),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(dy, saved[0]!)],
    };
  }) as (x: tf.Tensor) => tf.Tensor;
  return op(x);
}
