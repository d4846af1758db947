import { describe, expect, it } from 'vitest';
import { appendDecimated, emaSeries, isImbalanced, toLossPoints, type EmaState } from '../../../src/store/series';
import { errorPlace, stepAvailable, stepBlocker, type StepInputs } from '../../../src/store/steps';
import type { StepEvent } from '../../../src/train/protocol';

const step = (i: number, loss: number): StepEvent => ({
  type: 'step',
  step: i,
  totalSteps: 100,
  epoch: 1,
  loss,
  learningRate: 5e-5,
  gradNorm: 1,
  samplesPerSec: 10,
  elapsedSec: i,
  etaSec: 100 - i,
  memoryBytes: 0,
});

describe('loss smoothing', () => {
  it('is bias-corrected: a constant loss smooths to itself from the first step', () => {
    for (const v of emaSeries([0.7, 0.7, 0.7, 0.7])) expect(v).toBeCloseTo(0.7, 12);
  });

  it('matches the textbook recurrence', () => {
    const xs = [1, 0.5, 0.25, 2];
    const a = 0.1;
    let m = 0;
    const expected = xs.map((x, i) => {
      m = (1 - a) * m + a * x;
      return m / (1 - (1 - a) ** (i + 1));
    });
    expect(emaSeries(xs, a)).toEqual(expected);
    // First value is the first loss itself; the second weighs the newer loss 1/(1+0.9).
    expect(expected[0]).toBeCloseTo(1, 12);
    expect(expected[1]).toBeCloseTo((0.9 * 0.1 * 1 + 0.1 * 0.5) / (1 - 0.81), 12);
  });

  it('continues across batches of step events exactly as over the whole series', () => {
    const losses = Array.from({ length: 37 }, (_, i) => 0.7 * Math.exp(-i / 10) + 0.05 * Math.sin(i));
    const events = losses.map((l, i) => step(i + 1, l));
    const state: EmaState = { m: 0, n: 0 };
    const batched = [events.slice(0, 5), events.slice(5, 6), events.slice(6)].flatMap((b) => toLossPoints(b, state));
    const whole = emaSeries(losses);
    expect(batched.map((p) => p.ema)).toEqual(whole);
    expect(batched.map((p) => p.step)).toEqual(events.map((e) => e.step));
  });
});

describe('bounded chart series', () => {
  it('never exceeds the bound and keeps evenly spaced points over the whole run', () => {
    let pts: { n: number }[] = [];
    let stride = 1;
    for (let i = 1; i <= 5000; i += 7) {
      const added = Array.from({ length: 7 }, (_, k) => ({ n: i + k })).filter((p) => p.n <= 5000);
      ({ points: pts, stride } = appendDecimated(pts, added, stride, 100));
      expect(pts.length).toBeLessThanOrEqual(100);
    }
    expect(stride).toBe(64); // 5000 events / 100 points -> the first power of two above 50
    expect(pts[0]?.n).toBe(1);
    const gaps = pts.slice(1).map((p, i) => p.n - pts[i]!.n);
    expect(new Set(gaps)).toEqual(new Set([64]));
    expect(pts.at(-1)!.n).toBeGreaterThan(5000 - 64);
  });

  it('leaves short series untouched', () => {
    const a = [{ n: 1 }, { n: 2 }];
    expect(appendDecimated(a, [{ n: 3 }], 1, 10)).toEqual({ points: [{ n: 1 }, { n: 2 }, { n: 3 }], stride: 1 });
  });
});

describe('imbalance and step rules', () => {
  it('flags SMS spam (4,827 ham / 747 spam) but not SST-2 (37,569 / 29,780)', () => {
    expect(isImbalanced([{ count: 4827 }, { count: 747 }])).toBe(true);
    expect(isImbalanced([{ count: 37569 }, { count: 29780 }])).toBe(false);
    expect(isImbalanced([{ count: 10 }])).toBe(false);
  });

  const none: StepInputs = {
    datasetReady: false,
    mappingComplete: false,
    modelReady: false,
    modelPredicts: false,
    hasReport: false,
  };
  it('opens steps as their inputs appear', () => {
    expect(stepAvailable('data', none) && stepAvailable('model', none)).toBe(true);
    expect(stepAvailable('train', none)).toBe(false);
    expect(stepBlocker('train', none)).toBe('Load a dataset first.');
    const trainable = { ...none, datasetReady: true, mappingComplete: true, modelReady: true };
    expect(stepAvailable('train', trainable)).toBe(true);
    expect(stepAvailable('try', trainable)).toBe(false);
    expect(stepAvailable('try', { ...trainable, modelPredicts: true })).toBe(true);
    // A model saved earlier can be tried without any dataset.
    expect(stepAvailable('try', { ...none, modelReady: true, modelPredicts: true })).toBe(true);
    expect(stepAvailable('evaluate', { ...none, hasReport: true })).toBe(true);
  });

  it('places errors next to the step that asked', () => {
    expect(errorPlace('datasetStats')).toBe('data');
    expect(errorPlace('loadModel')).toBe('model');
    expect(errorPlace('resume')).toBe('train');
    expect(errorPlace('predictBatch')).toBe('try');
    expect(errorPlace('exportModel')).toBe('export');
    expect(errorPlace(undefined)).toBe('engine');
  });
});
