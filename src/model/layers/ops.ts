// Building blocks shared by every BERT layer: Linear, LayerNorm, activations, dropout.
// Numerics follow PyTorch as used by HF `modeling_bert.py`: nn.Linear, nn.LayerNorm (biased
// variance, eps inside the sqrt), ACT2FN["gelu"] = erf GELU, ACT2FN["gelu_new"] = tanh GELU.
import * as tf from '@tensorflow/tfjs';
import type { HiddenAct } from '../config';
import { dropout } from './hostDropout';
import { batchedConvNT, batchedGemm, wasmThreadCount } from './wasmGemm';

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
 * How a batched a @ b^T runs: tf.matMul's transposeB ('flags'), one XNNPACK GEMM per batch entry
 * with b given as [.., K, N] ('gemm': wasm with 1 or 2 threads), or one depthwise convolution with
 * b as [.., N, K] ('conv': larger wasm pools; wasmGemm.ts says why). tfjs-wasm's own batched
 * kernel is a scalar loop, so wasm never uses it.
 */
export function batchedMatMulKind(): 'flags' | 'gemm' | 'conv' {
  if (matMulStrategy() === 'flags') return 'flags';
  if (tf.getBackend() !== 'wasm') return 'gemm';
  return wasmThreadCount() > 2 ? 'conv' : 'gemm';
}

/** a @ b, or a @ b^T with transposeB; same rank on both sides (batched on leading axes). */
export function matMul(a: tf.Tensor, b: tf.Tensor, transposeB = false): tf.Tensor {
  const kind = batchedMatMulKind();
  if (kind === 'flags') return tf.matMul(a, b, false, transposeB);
  const lead = a.shape.slice(0, -2);
  const batch = lead.reduce((x, d) => x * d, 1);
  const [m, k] = a.shape.slice(-2) as [number, number];
  const a3 = a.reshape([batch, m, k]) as tf.Tensor3D;
  if (kind === 'conv' && batch > 1) {
    const bNK = transposeB ? b : transposeLast2(b); // [..., N, K]
    const n = bNK.shape[bNK.rank - 2]!;
    return batchedConvNT(a3, bNK.reshape([batch, n, k]) as tf.Tensor3D).reshape([...lead, m, n]);
  }
  const bKN = transposeB ? transposeLast2(b) : b; // [..., K, N]
  if (batch === 1 || tf.getBackend() !== 'wasm') return explicitMatMul(a, bKN);
  const n = bKN.shape[bKN.rank - 1]!;
  return batchedGemm(a3, bKN.reshape([batch, k, n]) as tf.Tensor3D).reshape([...lead, m, n]);
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

/** (x - mean) * rsqrt(var + eps) over the last axis, and that rsqrt. */
function normalize(x: tf.Tensor, eps: number): { xhat: tf.Tensor; rstd: tf.Tensor } {
  const mean = tf.mean(x, -1, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), -1, true);
  const rstd = tf.rsqrt(tf.add(variance, eps));
  return { xhat: tf.mul(centered, rstd), rstd };
}

// LayerNorm on x [N, H] with its backward written out: autodiff sums the gamma and beta gradients
// over the leading axes, which tfjs-wasm runs as a full transpose plus a row sum (as tf.add's bias
// gradient, see explicitLinear); here they are ones[1, N] @ (...), and dx is the usual closed form
// rstd * (g - mean(g) - xhat * mean(g * xhat)) with g = dy * gamma, in fewer passes than the tape's.
const explicitLayerNorms = new Map<number, (x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor2D>();
function explicitLayerNorm(eps: number) {
  let op = explicitLayerNorms.get(eps);
  if (op) return op;
  op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, gamma, beta, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const { xhat, rstd } = normalize(x, eps);
    save([xhat, rstd, gamma]);
    return {
      value: tf.add(tf.mul(xhat, gamma), beta),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [sxhat, srstd, sgamma] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
          const [n, h] = sxhat.shape;
          const ones = tf.ones([1, n]);
          const g = tf.mul(dy, sgamma);
          const dx = tf.mul(
            srstd,
            tf.sub(tf.sub(g, tf.mean(g, -1, true)), tf.mul(sxhat, tf.mean(tf.mul(g, sxhat), -1, true))),
          );
          return [dx, tf.matMul(ones, tf.mul(dy, sxhat)).reshape([h]), tf.matMul(ones, dy).reshape([h])];
        }),
    };
  }) as (x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor2D;
  explicitLayerNorms.set(eps, op);
  return op;
}

/** nn.LayerNorm over the last axis: (x - mean) / sqrt(var + eps) * gamma + beta. */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  if (matMulStrategy() === 'explicit') {
    const h = x.shape[x.rank - 1]!;
    const y = explicitLayerNorm(eps)(x.reshape([-1, h]) as tf.Tensor2D, gamma as tf.Tensor1D, beta as tf.Tensor1D);
    return y.reshape(x.shape);
  }
  const { xhat } = normalize(x, eps);
  return tf.add(tf.mul(xhat, gamma), beta);
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
    // tf.dropout(x, rate, undefined, siteSeed)'s values, with the mask drawn in host memory on wasm/cpu.
    return dropout(x, rate, siteSeed);
  }
}
