// tf.variableGrads with the same tape walk, but freeing memory as the backward pass goes. tfjs's
// own walk (tfjs-core 4.22 engine.ts `gradients`, tape.ts `backpropagateGradients`) keeps every
// op's saved inputs and every intermediate gradient until the whole pass ends, so its peak is the
// forward's saved activations plus the gradient of every activation in the network: BERT-Base at
// 8x128 on wasm needed more than the 4 GB wasm32 heap for that alone. Here each tape node's saved
// tensors and the gradients of its outputs are disposed as soon as that node has run; the peak
// falls to about the saved activations. The gradient functions, their order and the accumulation
// (tf.add of the running sum and the new term, as tfjs does) are unchanged, so the gradients are
// bit-for-bit tfjs's.
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';

/** One recorded op on tfjs's gradient tape (tfjs-core tape.ts `TapeNode`, not exported). */
interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  saved?: tf.Tensor[];
  gradient?: (dys: Array<tf.Tensor | null>) => Record<string, () => tf.Tensor>;
}

/** The parts of tfjs's Engine used here; private members in its typings, stable within 4.x. */
interface TapeEngine {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  startTape(): void;
  endTape(): void;
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
}

/**
 * Identity (tf.clone) sharing its input's data, as tfjs-cpu's Identity and tfjs-wasm's own Reshape
 * do. tfjs-wasm's Identity copies, and the tape keeps a clone of every tensor an op saves for its
 * backward pass (engine.ts `saveTensorsForBackwardMode`): a second copy of each saved activation,
 * about a third of BERT-Base's forward memory at 8x128. Tensors are immutable, so sharing is safe.
 */
const sharedIdentity: KernelFunc = ({ inputs, backend }) => {
  const x = inputs.x as TensorInfo;
  (backend as tf.KernelBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/**
 * Installs sharedIdentity on wasm. Done here, with the backend running, rather than at start-up:
 * importing tfjs-backend-wasm (the worker and the CLI import it lazily) registers its own again.
 */
function shareWasmClones(): void {
  if (tf.getBackend() !== 'wasm' || tf.getKernel('Identity', 'wasm')?.kernelFunc === sharedIdentity) return;
  tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: sharedIdentity });
}

/** Backends whose memory is a fixed heap (wasm32: 4 GB) or host RAM; GPU backends keep tfjs's walk. */
const LEAN_BACKENDS = new Set(['wasm', 'cpu']);

/**
 * tfjs-core tape.ts `getFilteredNodesXToY`: the nodes on a path from one of `xs` to `y`, with the
 * inputs that do not depend on `xs` pruned.
 */
function filterTape(tape: readonly TapeNode[], xs: readonly tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id));
  const nodesFromX = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((t) => fromX.has(t.id))) {
      node.outputs.forEach((o) => fromX.add(o.id));
      nodesFromX.add(node.id);
    }
  }
  const toY = new Set([y.id]);
  const nodesToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i]!;
    if (node.outputs.some((o) => toY.has(o.id))) {
      Object.values(node.inputs).forEach((t) => toY.add(t.id));
      nodesToY.add(node.id);
    }
  }
  return tape
    .filter((n) => nodesFromX.has(n.id) && nodesToY.has(n.id))
    .map((n) => ({
      ...n,
      inputs: Object.fromEntries(Object.entries(n.inputs).filter(([, t]) => fromX.has(t.id))),
    }));
}

/** Gradients by tensor id, with a count of entries per tensor object (a gradient may pass through unchanged). */
class GradMap {
  private readonly byId = new Map<number, tf.Tensor>();
  private readonly uses = new Map<tf.Tensor, number>();

  get(id: number): tf.Tensor | undefined {
    return this.byId.get(id);
  }

  set(id: number, t: tf.Tensor): void {
    this.byId.set(id, t);
    this.uses.set(t, (this.uses.get(t) ?? 0) + 1);
  }

  /** Removes the entry; returns the tensor when nothing else refers to it (the caller may dispose it). */
  take(id: number): tf.Tensor | null {
    const t = this.byId.get(id);
    if (!t) return null;
    this.byId.delete(id);
    const n = (this.uses.get(t) ?? 1) - 1;
    if (n > 0) {
      this.uses.set(t, n);
      return null;
    }
    this.uses.delete(t);
    return t;
  }

  holds(t: tf.Tensor): boolean {
    return this.uses.has(t);
  }
}

/** tape.ts `backpropagateGradients`, disposing each node's saved tensors and output gradients after it ran. */
function backprop(grads: GradMap, tape: readonly TapeNode[]): void {
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i]!;
    const dys = node.outputs.map((o) => grads.get(o.id) ?? null);
    if (!node.gradient) throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
    const inputGradients = node.gradient(dys);
    for (const [inputName, x] of Object.entries(node.inputs)) {
      const gradOf = inputGradients[inputName];
      if (!gradOf) throw new Error(`Cannot backprop through input ${inputName} of ${node.kernelName}.`);
      const dx = tf.tidy(gradOf);
      if (dx.dtype !== 'float32')
        throw new Error(`Error in gradient for op ${node.kernelName}: the gradient of ${inputName} is ${dx.dtype}`);
      if (!tf.util.arraysEqual(dx.shape, x.shape))
        throw new Error(`Error in gradient for op ${node.kernelName}: ${inputName} gradient shape [${dx.shape}]`);
      const prev = grads.take(x.id);
      grads.set(x.id, prev ? tf.add(prev, dx) : dx);
      if (prev) {
        prev.dispose();
        if (!grads.holds(dx)) dx.dispose();
      }
    }
    for (const o of node.outputs) grads.take(o.id)?.dispose();
    for (const s of node.saved ?? []) if (!grads.holds(s)) s.dispose();
  }
}

/**
 * tf.variableGrads(f, varList) (trainable variables only; none for a variable `f` does not reach)
 * with the lean backward pass on wasm and cpu; elsewhere tfjs's own. The value and the gradients
 * are new tensors for the caller to dispose.
 */
export function leanVariableGrads(
  f: () => tf.Scalar,
  varList: readonly tf.Variable[],
): { value: tf.Scalar; grads: Record<string, tf.Tensor | null> } {
  if (!LEAN_BACKENDS.has(tf.getBackend())) {
    const { value, grads } = tf.variableGrads(f, [...varList]);
    return { value, grads };
  }
  shareWasmClones();
  const xs = varList.filter((v) => v.trainable);
  if (xs.length === 0) throw new Error('variableGrads() expects at least one trainable variable');
  // Private tfjs engine API (see TapeEngine): nothing public exposes the tape.
  const engine = tf.engine() as unknown as TapeEngine;
  if (engine.state.gradientDepth !== 0) throw new Error('leanVariableGrads cannot run inside another gradient');
  let tape: TapeNode[] = [];
  let value: tf.Scalar | null = null;
  try {
    value = engine.scopedRun(
      () => {
        engine.startTape();
        tape = engine.state.activeTape ?? [];
      },
      () => engine.endTape(),
      () => tf.tidy(f),
    );
    engine.state.activeTape = null;
    if (value.rank !== 0) throw new Error(`the loss must be a scalar, got rank ${value.rank}`);
    const y = value;
    const path = filterTape(tape, xs, y);
    const inputIds = new Set(path.flatMap((n) => Object.values(n.inputs).map((t) => t.id)));
    const reached = xs.filter((x) => inputIds.has(x.id));
    const gradList = tf.tidy(() => {
      const grads = new GradMap();
      grads.set(y.id, tf.onesLike(y));
      backprop(grads, path);
      return reached.map((x) => grads.get(x.id)!);
    });
    const out: Record<string, tf.Tensor | null> = {};
    reached.forEach((x, i) => (out[x.name] = gradList[i]!));
    return { value: y, grads: out };
  } catch (err) {
    value?.dispose();
    throw err;
  } finally {
    engine.state.activeTape = null;
    // Saved tensors of nodes off the x -> y path, and of every node after an error.
    for (const node of tape) for (const s of node.saved ?? []) s.dispose();
  }
}
