// What survives a stop: parameter values as plain arrays (best weights, resumable state) and the
// cooperative control object the caller flips between batches.
import * as tf from '@tensorflow/tfjs';
import { TrainingError } from './errors';
import type { AdamW, AdamWState } from './optimizer';
import type { Metrics } from './metrics';
import { readCopies } from './readback';

/** Parameter values by HF name, model layout; copies, so later updates never change them. */
export type WeightSnapshot = Record<string, Float32Array>;

/** Reads every parameter back asynchronously (readback.ts says why). */
export async function snapshotWeights(params: ReadonlyMap<string, tf.Variable>): Promise<WeightSnapshot> {
  const names = [...params.keys()];
  const values = await readCopies([...params.values()]);
  return Object.fromEntries(names.map((name, i) => [name, values[i]!]));
}

export function restoreWeights(params: ReadonlyMap<string, tf.Variable>, snap: WeightSnapshot): void {
  for (const [name, data] of Object.entries(snap)) {
    const v = params.get(name);
    if (!v) throw new Error(`saved weights have ${name}, which the model does not`);
    if (data.length !== v.size) throw new Error(`saved ${name} has ${data.length} values, the model's has ${v.size}`);
    tf.tidy(() => v.assign(tf.tensor(data, v.shape, 'float32')));
  }
}

/** The best evaluation so far; `V` is the task's metrics (classification Metrics by default). */
export interface BestRecord<V = Metrics> {
  value: number;
  step: number;
  epoch: number;
  valid: V;
  weights: WeightSnapshot;
}

export interface EpochSummary<V = Metrics> {
  epoch: number; // 1-based
  trainLoss: number;
  valid: V | null;
}

/** Everything needed to continue a run exactly where it stopped (at an optimizer-step boundary). */
export interface TrainState<V = Metrics> {
  version: 1;
  seed: number;
  /** Optimizer updates done. */
  globalStep: number;
  /** 0-based epoch in progress, and micro-batches of it already consumed. */
  epoch: number;
  batchInEpoch: number;
  /** Running sum/count of micro-batch losses in the current epoch. */
  epochLossSum: number;
  epochLossCount: number;
  evalsWithoutImprovement: number;
  /** Trainable parameters now. */
  weights: WeightSnapshot;
  optimizer: AdamWState;
  best: BestRecord<V> | null;
  history: EpochSummary<V>[];
}

/** A run's counters and records without its weights and optimizer state: what the loops advance. */
export type Progress<V = Metrics> = Omit<TrainState<V>, 'version' | 'seed' | 'weights' | 'optimizer'>;

/** Where a run starts: the resumed state's counters and records, or a fresh start. */
export function startProgress<V>(r: TrainState<V> | null): Progress<V> {
  if (r) {
    const { version: _v, seed: _s, weights: _w, optimizer: _o, ...rest } = r;
    return { ...rest, history: [...rest.history] };
  }
  const zero = { globalStep: 0, epoch: 0, batchInEpoch: 0, epochLossSum: 0, epochLossCount: 0 };
  return { ...zero, evalsWithoutImprovement: 0, best: null, history: [] };
}

/** Puts a saved run's weights and optimizer state back; a state made with another seed is refused. */
export function restoreRun<V>(
  saved: TrainState<V>,
  seed: number,
  trainable: ReadonlyMap<string, tf.Variable>,
  optimizer: AdamW,
): void {
  if (saved.seed !== seed)
    throw new TrainingError('input', `saved state was made with seed ${saved.seed}, not ${seed}`);
  restoreWeights(trainable, saved.weights);
  optimizer.setState(saved.optimizer);
}

/** A resumable state of the run now (weights and moments read one after the other). */
export async function captureState<V>(
  s: Progress<V>,
  seed: number,
  trainable: ReadonlyMap<string, tf.Variable>,
  optimizer: AdamW,
): Promise<TrainState<V>> {
  // One after the other: at most a few tensors' staging buffers on the device at a time.
  const weights = await snapshotWeights(trainable);
  const opt = await optimizer.getState();
  return { version: 1, seed, ...s, history: [...s.history], weights, optimizer: opt };
}

/** Flipped by the caller (UI, worker message handler, CLI signal); the loop looks between batches. */
export class TrainControl {
  stopRequested = false;
  paused = false;
  private waiters: Array<() => void> = [];

  stop(): void {
    this.stopRequested = true;
    this.release();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.release();
  }

  /** Resolves at once unless paused; then when resumed or stopped. */
  waitWhilePaused(): Promise<void> {
    if (!this.paused || this.stopRequested) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }
}
