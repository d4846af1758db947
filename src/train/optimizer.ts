// AdamW exactly as torch.optim.AdamW (torch/optim/adamw.py, single-tensor path), with the Hugging
// Face Trainer parameter grouping (no weight decay on biases and LayerNorm weights), plus
// torch.nn.utils.clip_grad_norm_ and gradient accumulation. On GPU backends every update runs as
// tf ops inside tf.tidy and is assigned to the variables; only the moment buffers survive a step.
// On wasm and cpu the moments live in JS Float32Arrays and the update is one JS pass over the
// backend's memory (hostAdamW.ts: the same float32 arithmetic, 880 MB less wasm heap for BERT-Base).
import * as tf from '@tensorflow/tfjs';
import { activeHostMemory } from '../model/hostMemory';
import { hostAdamWUpdate } from './hostAdamW';
import { readCopies } from './readback';

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  eps: number;
  /** Decoupled weight decay for the parameters `decayApplies` selects. */
  weightDecay: number;
}

// torch.optim.AdamW defaults (betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2).
export const ADAMW_DEFAULTS: AdamWOptions = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 };

/** HF Trainer `get_decay_parameter_names`: everything but biases and LayerNorm parameters decays. */
export function decayApplies(name: string): boolean {
  return !name.includes('bias') && !name.includes('LayerNorm');
}

/** Moment buffers as plain arrays, for pause/resume and saved training state. */
export interface AdamWState {
  /** Per parameter: steps taken, first and second moments (model layout, flattened). */
  params: Record<string, { step: number; m: Float32Array; v: Float32Array }>;
}

/** Moments on the device (GPU backends) or in host memory (wasm, cpu). */
type Slot = { step: number } & (
  { host: false; m: tf.Variable; v: tf.Variable } | { host: true; m: Float32Array; v: Float32Array }
);

export class AdamW {
  readonly options: AdamWOptions;
  private readonly slots = new Map<string, Slot>();

  /** `params`: the trainable parameters only (frozen ones get no state and are never touched). */
  constructor(
    private readonly params: ReadonlyMap<string, tf.Variable>,
    options: Partial<AdamWOptions> = {},
  ) {
    this.options = { ...ADAMW_DEFAULTS, ...options };
  }

  /**
   * One update with learning rate `lr`. Parameters without a gradient are skipped entirely, as
   * torch skips `p.grad is None` (no decay, no step count).
   */
  step(grads: ReadonlyMap<string, tf.Tensor>, lr: number): void {
    const { beta1, beta2, eps, weightDecay } = this.options;
    for (const [name, p] of this.params) {
      const g = grads.get(name);
      if (!g) continue;
      const slot = this.slot(name, p);
      slot.step += 1;
      const t = slot.step;
      // Scalars in double precision as torch computes them on the host.
      const stepSize = lr / (1 - beta1 ** t);
      const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
      const decay = decayApplies(name) ? 1 - lr * weightDecay : 1;
      if (slot.host) {
        const mem = activeHostMemory();
        if (!mem) throw new Error('AdamW: moments are in host memory but the backend has none');
        hostAdamWUpdate(mem, p, g, slot.m, slot.v, { beta1, beta2, eps, stepSize, bc2Sqrt, decay });
        continue;
      }
      const { m: sm, v: sv } = slot;
      tf.tidy(() => {
        const m = tf.add(tf.mul(sm, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(sv, beta2), tf.mul(tf.mul(g, g), 1 - beta2));
        const denom = tf.add(tf.div(tf.sqrt(v), bc2Sqrt), eps);
        const decayed = decay === 1 ? p : tf.mul(p, decay);
        p.assign(tf.sub(decayed, tf.mul(tf.div(m, denom), stepSize)));
        sm.assign(m);
        sv.assign(v);
      });
    }
  }

  /** Number of updates applied so far (the maximum over parameters). */
  get stepCount(): number {
    let n = 0;
    for (const s of this.slots.values()) n = Math.max(n, s.step);
    return n;
  }

  private slot(name: string, p: tf.Variable): Slot {
    let s = this.slots.get(name);
    if (!s) {
      s = newSlot(0, p.shape, null, null);
      this.slots.set(name, s);
    }
    return s;
  }

  /** The moments as copies; device moments are read back asynchronously (readback.ts says why). */
  async getState(): Promise<AdamWState> {
    const slots = [...this.slots];
    const device = slots.flatMap(([, s]) => (s.host ? [] : [s.m, s.v]));
    const values = await readCopies(device);
    const params: AdamWState['params'] = {};
    let k = 0;
    for (const [name, s] of slots) {
      if (s.host) params[name] = { step: s.step, m: s.m.slice(), v: s.v.slice() };
      else {
        params[name] = { step: s.step, m: values[k]!, v: values[k + 1]! };
        k += 2;
      }
    }
    return { params };
  }

  setState(state: AdamWState): void {
    this.disposeSlots();
    for (const [name, st] of Object.entries(state.params)) {
      const p = this.params.get(name);
      if (!p) throw new Error(`optimizer state has ${name}, which is not a trainable parameter`);
      if (st.m.length !== p.size || st.v.length !== p.size)
        throw new Error(`optimizer state for ${name} has ${st.m.length} values, the parameter has ${p.size}`);
      this.slots.set(name, newSlot(st.step, p.shape, st.m, st.v));
    }
  }

  dispose(): void {
    this.disposeSlots();
  }

  private disposeSlots(): void {
    for (const s of this.slots.values()) {
      if (s.host) continue;
      s.m.dispose();
      s.v.dispose();
    }
    this.slots.clear();
  }
}

/** Zero moments, or copies of saved ones, where the active backend's updates will read them. */
function newSlot(step: number, shape: number[], m: Float32Array | null, v: Float32Array | null): Slot {
  const size = shape.reduce((a, d) => a * d, 1);
  if (activeHostMemory()) {
    return { step, host: true, m: m ? m.slice() : new Float32Array(size), v: v ? v.slice() : new Float32Array(size) };
  }
  // Unnamed variables: tfjs names must be globally unique, and two runs may coexist.
  const init = (x: Float32Array | null) => ownedVariable(x ? tf.tensor(x, shape, 'float32') : tf.zeros(shape));
  return { step, host: false, m: init(m), v: init(v) };
}

// tfjs-webgpu (4.22) binds every AddN input as a storage buffer and does not split the op: more
// than 7 inputs (8 buffers with the output = WebGPU's default maxStorageBuffersPerShaderStage)
// fails validation, which silently drops the whole command buffer (zero norm, no Adam update).
const ADDN_MAX_INPUTS = 7;

/**
 * addN of any number of same-shape tensors as a running sum over chunks. CPU/WASM's addN adds its
 * inputs left to right, so this gives bit-for-bit the value of one addN there.
 */
export function addMany(xs: readonly tf.Tensor[]): tf.Tensor {
  if (xs.length === 0) throw new Error('addMany needs at least one tensor');
  return tf.tidy(() => {
    let acc = xs[0]!;
    for (let i = 1; i < xs.length; i += ADDN_MAX_INPUTS - 1)
      acc = tf.addN([acc, ...xs.slice(i, i + ADDN_MAX_INPUTS - 1)]);
    return acc === xs[0] ? tf.clone(acc) : acc;
  });
}

/**
 * torch.nn.utils.clip_grad_norm_ (norm_type 2): total = ||(||g_1||, ..., ||g_n||)||; every
 * gradient is scaled by min(1, maxNorm / (total + 1e-6)). Returns new gradient tensors (the inputs
 * are not disposed) and the total norm before clipping, all without reading back from the device.
 * maxNorm <= 0 or Infinity only measures the norm.
 */
export function clipGradNorm(
  grads: ReadonlyMap<string, tf.Tensor>,
  maxNorm: number,
): { grads: Map<string, tf.Tensor>; norm: tf.Scalar } {
  const names = [...grads.keys()];
  const [norm, ...clipped] = tf.tidy(() => {
    const values = [...grads.values()];
    const squares = values.map((g) => tf.sum(tf.square(g)));
    const total = squares.length === 0 ? tf.scalar(0) : tf.sqrt(addMany(squares));
    const clip = maxNorm > 0 && Number.isFinite(maxNorm);
    const coef = clip ? tf.minimum(tf.div(maxNorm, tf.add(total, 1e-6)), 1) : null;
    return [total, ...values.map((g) => (coef ? tf.mul(g, coef) : tf.clone(g)))];
  });
  return { grads: new Map(names.map((n, i) => [n, clipped[i]!])), norm: norm as tf.Scalar };
}

/**
 * Sums gradients over micro-batches; `mean()` divides by the count, which equals HF's scaling of
 * each micro-batch loss by 1 / gradient_accumulation_steps.
 */
export class GradAccumulator {
  private sums = new Map<string, tf.Tensor>();
  private n = 0;

  add(grads: ReadonlyMap<string, tf.Tensor>): void {
    for (const [name, g] of grads) {
      const prev = this.sums.get(name);
      this.sums.set(name, prev ? tf.tidy(() => tf.add(prev, g)) : tf.clone(g));
      prev?.dispose();
    }
    this.n += 1;
  }

  get count(): number {
    return this.n;
  }

  /** The mean gradients (new tensors, caller disposes); resets the accumulator. */
  takeMean(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    const n = this.n;
    for (const [name, s] of this.sums) {
      out.set(name, n === 1 ? s : tf.tidy(() => tf.div(s, n)));
      if (n !== 1) s.dispose();
    }
    this.sums = new Map();
    this.n = 0;
    return out;
  }

  dispose(): void {
    for (const s of this.sums.values()) s.dispose();
    this.sums.clear();
    this.n = 0;
  }
}

/** A variable that takes over `init` (disposed here; the variable holds its own reference to the data). */
export function ownedVariable(init: tf.Tensor, trainable = false): tf.Variable {
  const v = tf.variable(init, trainable);
  init.dispose();
  return v;
}

export function disposeMap(m: ReadonlyMap<string, tf.Tensor>): void {
  for (const t of m.values()) t.dispose();
}
