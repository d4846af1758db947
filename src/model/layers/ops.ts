// Building blocks shared by every BERT layer: Linear, LayerNorm, activations, dropout.
// Numerics follow PyTorch as used by HF `modeling_bert.py`: nn.Linear, nn.LayerNorm (biased
// variance, eps inside the sqrt), ACT2FN["gelu"] = erf GELU, ACT2FN["gelu_new"] = tanh GELU.
import * as tf from '@tensorflow/tfjs';
import type { HiddenAct } from '../config';

/**
 * How matmuls that need a transposed operand are computed. 'explicit' transposes with a separate
 * op and calls matMul without flags, also in the backward pass: on wasm, matMul with
 * transposeA/transposeB is 10-20x slower (BROWSER.md gap 3). 'flags' lets tfjs use its flags,
 * which is faster on webgl/webgpu.
 */
export type MatMulStrategy = 'explicit' | 'flags';

let strategyOverride: MatMulStrategy | null = null;

/** Forces a strategy (null = choose per active backend). */
export function setMatMulStrategy(s: MatMulStrategy | null): void {
  strategyOverride = s;
}

export function matMulStrategy(): MatMulStrategy {
  if (strategyOverride) return strategyOverride;
  return tf.getBackend() === 'wasm' ? 'explicit' : 'flags';
}

/** Swaps the last two axes. */
export function transposeLast2(x: tf.Tensor): tf.Tensor {
  const r = x.rank;
  const perm = [...Array(r).keys()];
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return tf.transpose(x, perm);
}

// a @ b (b already in [.., K, N] layout) with a backward pass that never uses transpose flags.
// customGrad's type passes the save function in the same rest list as the inputs.
const explicitMatMul = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    // tidy frees the transposed copies (and the XNNPACK operators packed for them) at once, not
    // when the whole backward pass ends.
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.tidy(() => {
        const [sa, sb] = saved as [tf.Tensor, tf.Tensor];
        return [tf.matMul(dy, transposeLast2(sb)), tf.matMul(transposeLast2(sa), dy)];
      }),
  };
}) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/**
 * a @ b^T for a [C, M, K], b [C, N, K] as ONE depthwise convolution: C channels, K the spatial
 * width, N the channel multiplier, M the images. tfjs-wasm runs BatchMatMul with a batch > 1 as a
 * scalar loop (batch_mat_mul_impl.cc `slow_batch_matmul`, ~2 GFLOP/s) but the convolution through
 * XNNPACK, 3-4x faster on attention shapes even with the transposes.
 */
function batchedNT(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  const [c, m, k] = a.shape;
  const n = b.shape[1];
  return tf.tidy(() => {
    const x = tf.transpose(a, [1, 2, 0]).reshape([m, 1, k, c]) as tf.Tensor4D; // [M, 1, K, C]
    const filter = tf.transpose(b, [2, 0, 1]).reshape([1, k, c, n]) as tf.Tensor4D; // [1, K, C, N]
    const y = tf.depthwiseConv2d(x, filter, 1, 'valid'); // [M, 1, 1, C * N]
    return tf.transpose(y.reshape([m, c, n]), [1, 0, 2]) as tf.Tensor3D; // [C, M, N]
  });
}

// Batched a @ b^T ([C, M, K] x [C, N, K]) whose backward pass uses the same convolution.
const batchedMatMulNT = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = args as [tf.Tensor3D, tf.Tensor3D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: batchedNT(a, b),
    // dA = dY @ B, dB = dY^T @ A, each written as x @ y^T.
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.tidy(() => {
        const [sa, sb] = saved as [tf.Tensor3D, tf.Tensor3D];
        const dyT = transposeLast2(dy) as tf.Tensor3D;
        return [
          batchedNT(dy as tf.Tensor3D, transposeLast2(sb) as tf.Tensor3D),
          batchedNT(dyT, transposeLast2(sa) as tf.Tensor3D),
        ];
      }),
  };
}) as (a: tf.Tensor3D, b: tf.Tensor3D) => tf.Tensor3D;

/** a @ b, or a @ b^T with transposeB; same rank on both sides (batched on leading axes). */
export function matMul(a: tf.Tensor, b: tf.Tensor, transposeB = false): tf.Tensor {
  if (matMulStrategy() === 'flags') return tf.matMul(a, b, false, transposeB);
  const lead = a.shape.slice(0, -2);
  const batch = lead.reduce((x, d) => x * d, 1);
  if (batch === 1) return explicitMatMul(a, transposeB ? transposeLast2(b) : b);
  const [m, k] = a.shape.slice(-2) as [number, number];
  const bNK = transposeB ? b : transposeLast2(b); // [..., N, K]
  const n = bNK.shape[bNK.rank - 2]!;
  const y = batchedMatMulNT(a.reshape([batch, m, k]), bNK.reshape([batch, n, k]));
  return y.reshape([...lead, m, n]);
}

// y = x @ W + b for x [N, in], W [in, out], b [out], with an explicit-transpose backward pass. The
// bias gradient is ones[1, N] @ dy: tf.add's broadcast gradient sums dy over axis 0, which tfjs-wasm
// runs as a full transpose of dy plus a row sum (15 ms for [4096, 512]; the matmul takes 0.3 ms).
const explicitLinear = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, w]);
  return {
    // Ops inside a customGrad forward are not taped, so the fused kernel's own gradient never runs.
    value: tf.fused.matMul({ a: x, b: w, bias: b }),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
      tf.tidy(() => {
        const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
        const n = sx.shape[0];
        return [
          tf.matMul(dy, transposeLast2(sw)),
          tf.matMul(transposeLast2(sx), dy),
          tf.matMul(tf.ones([1, n]), dy).reshape([sw.shape[1]]),
        ];
      }),
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

/**
 * nn.Linear on the last axis. `weight` is stored [in, out] (see load.ts: the one place that
 * converts from PyTorch's [out, in]), so the forward needs no transpose.
 */
export function linear(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor | null): tf.Tensor {
  const inDim = x.shape[x.rank - 1]!;
  const outDim = weight.shape[1]!;
  const x2 = x.reshape([-1, inDim]); // [N, in]
  let y: tf.Tensor;
  if (bias && matMulStrategy() === 'explicit')
    y = explicitLinear(x2 as tf.Tensor2D, weight as tf.Tensor2D, bias as tf.Tensor1D); // [N, out]
  else {
    y = matMul(x2, weight); // [N, out]
    if (bias) y = tf.add(y, bias);
  }
  return y.reshape([...x.shape.slice(0, -1), outDim]);
}

/** nn.LayerNorm over the last axis: (x - mean) / sqrt(var + eps) * gamma + beta. */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const mean = tf.mean(x, -1, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), -1, true);
  return tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

const SQRT_HALF = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_TANH_COEF = 0.044715; // HF NewGELUActivation

export function activation(x: tf.Tensor, act: HiddenAct): tf.Tensor {
  switch (act) {
    case 'gelu': // x * 0.5 * (1 + erf(x / sqrt(2)))
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, SQRT_HALF))));
    case 'gelu_new':
    case 'gelu_pytorch_tanh': {
      const inner = tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(GELU_TANH_COEF, tf.pow(x, 3))));
      return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
    }
    case 'relu':
      return tf.relu(x);
  }
}

/**
 * Dropout context for one forward pass: inactive unless training. Each call site draws its own
 * seed from the pass seed, so a pass is reproducible and different sites get different masks.
 */
export class DropoutCtx {
  private counter = 0;
  constructor(
    readonly training: boolean,
    private readonly seed: number,
  ) {}

  apply(x: tf.Tensor, rate: number): tf.Tensor {
    if (!this.training || rate <= 0) return x;
    const siteSeed = (this.seed * 1000003 + ++this.counter * 7919) % 2147483647;
    return tf.dropout(x, rate, undefined, siteSeed);
  }
}
