// Threshold decisions for multi-label classification, checked on a 6-row x 3-label case worked out
// by hand (predicted = probability strictly above the threshold; F1 with zero_division = 0).
import { describe, expect, it } from 'vitest';
import {
  applyThresholds,
  priorLogOdds,
  sigmoid,
  sigmoidProbabilities,
  THRESHOLD_GRID,
  thresholdMetrics,
  tuneGlobalThreshold,
  tuneThresholds,
} from '../../../src/train/multiLabel';

// Label 0: best F1 6/7 for thresholds 0.2..0.3 (4 predicted, 3 right). Label 1: no positives, so
// F1 = 0 everywhere. Label 2: F1 = 1 for thresholds 0.7..0.85.
const P = [
  [0.9, 0.1, 0.95],
  [0.6, 0.6, 0.9],
  [0.35, 0.1, 0.7],
  [0.32, 0.1, 0.1],
  [0.2, 0.1, 0.1],
  [0.1, 0.1, 0.1],
];
const Y = [
  [1, 0, 1],
  [0, 0, 1],
  [1, 0, 0],
  [1, 0, 0],
  [0, 0, 0],
  [0, 0, 0],
];
const FLAT = Float32Array.from(P.flat());

describe('multi-label thresholds', () => {
  it('grid is 0.05 ... 0.95 in exact steps', () => {
    expect(THRESHOLD_GRID.length).toBe(19);
    expect(THRESHOLD_GRID[0]).toBe(0.05);
    expect(THRESHOLD_GRID[2]).toBe(0.15);
    expect(THRESHOLD_GRID[18]).toBe(0.95);
  });

  it('sigmoid is stable at the extremes', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(2) + sigmoid(-2)).toBeCloseTo(1, 15);
    expect(Array.from(sigmoidProbabilities([0, Math.log(3)]))).toEqual([0.5, Math.fround(0.75)]);
  });

  it('applyThresholds is strict (p > t)', () => {
    expect(applyThresholds([0.5, 0.51, 0.3, 0.2], 2, [0.5, 0.2])).toEqual([
      [0, 1],
      [0, 0],
    ]);
    expect(() => applyThresholds([0.1, 0.2], 2, [0.5])).toThrow(/thresholds/);
  });

  it('tunes each label to its best-F1 threshold, ties towards 0.5', () => {
    const t = tuneThresholds(FLAT, Y, 3);
    expect(t.thresholds).toEqual([0.3, 0.5, 0.7]);
    expect(t.f1[0]).toBeCloseTo(6 / 7, 12);
    expect(t.f1[1]).toBe(0);
    expect(t.f1[2]).toBe(1);
  });

  it('scores micro / macro F1, per-label P/R/F1 and subset accuracy at given thresholds', () => {
    const m = thresholdMetrics(FLAT, Y, 3, [0.3, 0.5, 0.7]);
    // tp 3+0+2, fp 1+1+0, fn 0: micro F1 = 10 / 12.
    expect(m.microF1).toBeCloseTo(10 / 12, 12);
    expect(m.macroF1).toBeCloseTo((6 / 7 + 0 + 1) / 3, 12);
    expect(m.subsetAccuracy).toBeCloseTo(5 / 6, 12); // only row 1 differs
    expect(m.perClass[0]).toMatchObject({ precision: 0.75, recall: 1, support: 3 });
    expect(m.perClass[1]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0 });
    // The 0.5 default: label 0 keeps 0.9, 0.6; label 2 keeps 0.95, 0.9, 0.7.
    const d = thresholdMetrics(FLAT, Y, 3);
    expect(d.microF1).toBeCloseTo((2 * 3) / (2 * 3 + 3 + 2), 12);
  });

  it('a global threshold maximises micro-F1 (10/13 at 0.2..0.3 -> 0.3)', () => {
    const g = tuneGlobalThreshold(FLAT, Y, 3);
    expect(g.threshold).toBe(0.3);
    expect(g.microF1).toBeCloseTo(10 / 13, 12);
  });

  it('prior log-odds use add-one frequencies', () => {
    const b = priorLogOdds(Y, 3);
    expect(b[0]).toBeCloseTo(Math.log(4 / 8 / (4 / 8)), 6); // (3+1)/(6+2)
    expect(b[1]).toBeCloseTo(Math.log(1 / 8 / (7 / 8)), 6);
    expect(b[2]).toBeCloseTo(Math.log(3 / 8 / (5 / 8)), 6);
  });

  it('rejects mismatched shapes', () => {
    expect(() => tuneThresholds(FLAT, Y.slice(1), 3)).toThrow(/probabilities/);
    expect(() => tuneThresholds(FLAT, Y, 3, [])).toThrow(/grid/);
  });
});
