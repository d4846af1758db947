// Pure helpers for chart series and run records: no zustand, no DOM, so they run in Node tests.
import type { EpochEndEvent, StepEvent } from '../train/protocol';

export interface LossPoint {
  /** Index of the step event in its run, from 1 (the worker may skip steps between events). */
  n: number;
  step: number;
  epoch: number;
  loss: number;
  /** Exponential moving average of the loss, the curve people actually read. */
  ema: number;
  lr: number;
}

export interface EpochPoint {
  epoch: number;
  trainLoss: number;
  validLoss: number;
  accuracy: number;
  macroF1: number;
}

/** Weight of the newest loss in the EMA; 0.9 smoothing as TensorBoard's default slider suggests. */
export const EMA_ALPHA = 0.1;
/** Points kept per run: enough for a smooth curve, small enough to persist and redraw cheaply. */
export const MAX_POINTS = 1000;

/** Bias-corrected EMA (as Adam corrects its moments) so the first points are not pulled to 0. */
export function emaSeries(losses: readonly number[], alpha = EMA_ALPHA): number[] {
  const out: number[] = [];
  let m = 0;
  losses.forEach((x, i) => {
    m = (1 - alpha) * m + alpha * x;
    out.push(m / (1 - (1 - alpha) ** (i + 1)));
  });
  return out;
}

/** Running state the EMA needs between batches of step events. */
export interface EmaState {
  m: number;
  n: number;
}

export function toLossPoints(events: readonly StepEvent[], state: EmaState, alpha = EMA_ALPHA): LossPoint[] {
  return events.map((e) => {
    state.m = (1 - alpha) * state.m + alpha * e.loss;
    state.n += 1;
    const ema = state.m / (1 - (1 - alpha) ** state.n);
    return { n: state.n, step: e.step, epoch: e.epoch, loss: e.loss, ema, lr: e.learningRate };
  });
}

/**
 * Keeps every `stride`-th event (by its index `n`, from 1); past `max` points the stride doubles,
 * so a long run keeps evenly spaced points over its whole length in bounded memory.
 */
export function appendDecimated<T extends { n: number }>(
  points: readonly T[],
  added: readonly T[],
  stride: number,
  max = MAX_POINTS,
): { points: T[]; stride: number } {
  let out = points.concat(added.filter((p) => (p.n - 1) % stride === 0));
  let s = stride;
  while (out.length > max) {
    s *= 2;
    const keep = s;
    out = out.filter((p) => (p.n - 1) % keep === 0);
  }
  return { points: out, stride: s };
}

export function toEpochPoint(e: EpochEndEvent): EpochPoint {
  return {
    epoch: e.epoch,
    trainLoss: e.trainLoss,
    validLoss: e.valid.loss,
    accuracy: e.valid.accuracy,
    macroF1: e.valid.macro.f1,
  };
}

/** Smallest class share relative to the largest; below this the studio suggests class weights. */
export const IMBALANCE_RATIO = 0.5;

export function isImbalanced(labels: readonly { count: number }[]): boolean {
  const counts = labels.map((l) => l.count).filter((c) => c > 0);
  if (counts.length < 2) return false;
  return Math.min(...counts) / Math.max(...counts) < IMBALANCE_RATIO;
}

/** AdamW learning rates that work in practice: BERT paper range when fine-tuning everything, a head alone needs more. */
export const LR_FULL = 5e-5;
export const LR_HEAD_ONLY = 1e-3;

export function defaultLearningRate(freeze: string): number {
  return freeze === 'encoder' ? LR_HEAD_ONLY : LR_FULL;
}
