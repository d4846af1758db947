// What the classification runner (runner.ts) and the task loop (tasks/taskRun.ts) share between
// micro-batches and step events: the window of losses since the last event, the optimizer update
// after accumulation, and the step event itself, read back with one async read (WebGPU's sync
// readback stalls the queue and gives zeros under SwiftShader).
import * as tf from '@tensorflow/tfjs';
import { divergedError } from './errors';
import type { StepEvent } from './loop';
import { clipGradNorm, disposeMap, type AdamW, type GradAccumulator } from './optimizer';

/** The run's counters the reporter advances (the loops keep them in their resumable state). */
export interface StepCounters {
  globalStep: number;
  epochLossSum: number;
  epochLossCount: number;
}

export interface StepReporterOptions {
  totalSteps: number;
  /** When the run (or its resumed part) started, on `now`'s clock. */
  t0: number;
  now: () => number;
  reportIntervalMs: number;
  /** Fractional epochs done, as the step event reports them. */
  epochPosition: () => number;
  emit: (e: StepEvent) => void;
}

/** Averages the clipped, accumulated gradients into one AdamW step; returns the pre-clip norm. */
export function applyUpdate(acc: GradAccumulator, optimizer: AdamW, maxGradNorm: number, lr: number): tf.Scalar {
  const mean = acc.takeMean();
  const clipped = clipGradNorm(mean, maxGradNorm);
  disposeMap(mean);
  optimizer.step(clipped.grads, lr);
  disposeMap(clipped.grads);
  return clipped.norm;
}

export class StepReporter {
  private loss: tf.Scalar | null = null;
  private n = 0;
  private samples = 0;
  private windowStart: number;
  private lastNorm: tf.Scalar | null = null;
  private lastLr = 0;
  private lastReport = -Infinity;
  private readonly firstStep: number;

  constructor(
    private readonly s: StepCounters,
    private readonly o: StepReporterOptions,
  ) {
    this.windowStart = o.t0;
    this.firstStep = s.globalStep;
  }

  /** One micro-batch's loss (this takes ownership) over `samples` rows. */
  addLoss(loss: tf.Scalar, samples: number): void {
    const prev = this.loss;
    if (prev) {
      this.loss = tf.tidy(() => tf.add(prev, loss)) as tf.Scalar;
      prev.dispose();
      loss.dispose();
    } else this.loss = loss;
    this.n += 1;
    this.samples += samples;
  }

  /** After an optimizer step at `lr` with pre-clip gradient norm `norm` (owned from here on). */
  async stepped(norm: tf.Scalar, lr: number): Promise<void> {
    this.lastNorm?.dispose();
    this.lastNorm = norm;
    this.lastLr = lr;
    this.s.globalStep += 1;
    const step = this.s.globalStep;
    if (
      this.o.now() - this.lastReport >= this.o.reportIntervalMs ||
      step === this.firstStep + 1 ||
      step === this.o.totalSteps
    )
      await this.flush();
  }

  /** Emits the step event for the losses since the last one; throws when the loss or norm diverged. */
  async flush(): Promise<void> {
    const loss = this.loss;
    if (!loss || this.n === 0) return;
    const norm = this.lastNorm;
    const pair = tf.tidy(() => tf.stack([loss, norm ?? tf.scalar(0)]));
    const [sum, gradNorm] = (await pair.data().finally(() => pair.dispose())) as Float32Array;
    const { s, o } = this;
    if (!Number.isFinite(sum!) || !Number.isFinite(gradNorm!))
      throw divergedError(s.globalStep, this.lastLr, Number.isFinite(sum!) ? gradNorm! : sum!);
    const t = o.now();
    const done = s.globalStep - this.firstStep;
    o.emit({
      type: 'step',
      step: s.globalStep,
      totalSteps: o.totalSteps,
      epoch: o.epochPosition(),
      loss: sum! / this.n,
      lr: this.lastLr,
      gradNorm: gradNorm!,
      samplesPerSec: this.samples / Math.max(1e-3, (t - this.windowStart) / 1000),
      etaSec: done > 0 ? (((t - o.t0) / 1000) * (o.totalSteps - s.globalStep)) / done : 0,
    });
    s.epochLossSum += sum!;
    s.epochLossCount += this.n;
    loss.dispose();
    this.loss = null;
    this.n = 0;
    this.samples = 0;
    this.windowStart = t;
    this.lastReport = t;
  }

  dispose(): void {
    this.loss?.dispose();
    this.lastNorm?.dispose();
    this.loss = null;
    this.lastNorm = null;
  }
}
