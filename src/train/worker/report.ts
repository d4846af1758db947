// Engine metrics → the plain report the page shows.
import type { Metrics } from '../metrics';
import * as tf from '@tensorflow/tfjs';
import type { StepEvent as LoopStep } from '../loop';
import type { EvalReport, StepEvent } from '../protocol';

/** A loop step → the page's step message (with wall time since t0 and the backend's memory). */
export function stepMessage(e: LoopStep, t0: number): StepEvent {
  return {
    type: 'step',
    step: e.step,
    totalSteps: e.totalSteps,
    epoch: e.epoch,
    loss: e.loss,
    learningRate: e.lr,
    gradNorm: e.gradNorm,
    samplesPerSec: e.samplesPerSec,
    elapsedSec: (performance.now() - t0) / 1000,
    etaSec: e.etaSec,
    memoryBytes: tf.memory().numBytes,
  };
}

export function toReport(m: Metrics, labels: string[]): EvalReport {
  const perClass = m.perClass.map((c, i) => ({ label: labels[i] ?? String(i), ...c }));
  const total = perClass.reduce((s, c) => s + c.support, 0);
  const loss = m.loss ?? Number.NaN;
  if (m.kind === 'single-label') {
    return {
      loss,
      accuracy: m.accuracy,
      perClass,
      macro: { ...m.macro, support: total },
      weighted: { ...m.weighted, support: total },
      confusion: m.confusion,
      labels,
    };
  }
  // Multi-label: accuracy is subset accuracy; there is no single confusion matrix.
  const mean = (k: 'precision' | 'recall') => perClass.reduce((s, c) => s + c[k], 0) / Math.max(1, perClass.length);
  return {
    loss,
    accuracy: m.subsetAccuracy,
    perClass,
    macro: { precision: mean('precision'), recall: mean('recall'), f1: m.macroF1, support: total },
    weighted: { precision: mean('precision'), recall: mean('recall'), f1: m.microF1, support: total },
    confusion: [],
    labels,
  };
}

/** Softmax (single-label) or sigmoid (multi-label) of one row of logits. */
export function probabilities(logits: ArrayLike<number>, start: number, n: number, multiLabel: boolean): number[] {
  const row = Array.from({ length: n }, (_, i) => logits[start + i]!);
  if (multiLabel) return row.map((x) => 1 / (1 + Math.exp(-x)));
  const m = Math.max(...row);
  const e = row.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}
