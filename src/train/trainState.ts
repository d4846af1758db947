// What survives a stop: parameter values as plain arrays (best weights, resumable state) and the
// cooperative control object the caller flips between batches.
import * as tf from '@tensorflow/tfjs';
import type { AdamWState } from './optimizer';
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

export interface BestRecord {
  value: number;
  step: number;
  epoch: number;
  valid: Metrics;
  weights: WeightSnapshot;
}

export interface EpochSummary {
  epoch: number; // 1-based
  trainLoss: number;
  valid: Metrics | null;
}

/** Everything needed to continue a run exactly where it stopped (at an optimizer-step boundary). */
export interface TrainState {
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
  best: BestRecord | null;
  history: EpochSummary[];
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
