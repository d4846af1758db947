// Expected values worked out by hand from sklearn's definitions (classification_report with
// zero_division=0, confusion_matrix, f1_score micro/macro, accuracy_score on indicator arrays).
import { describe, expect, it } from 'vitest';
import { argmaxRows, classificationMetrics, metricValue, multiLabelMetrics } from '../../../src/train/metrics';
import { balancedClassWeights, resolveClassWeights } from '../../../src/train/classWeights';

describe('classificationMetrics', () => {
  it('binary, asymmetric errors', () => {
    const m = classificationMetrics([1, 1, 1, 0, 0, 0, 0, 0], [1, 1, 1, 1, 0, 0, 0, 0], 2);
    expect(m.accuracy).toBeCloseTo(0.875, 12);
    expect(m.confusion).toEqual([
      [4, 1],
      [0, 3],
    ]);
    expect(m.perClass[0]).toEqual({ precision: 1, recall: 0.8, f1: expect.closeTo(8 / 9, 12), support: 5 });
    expect(m.perClass[1]!.precision).toBeCloseTo(0.75, 12);
    expect(m.perClass[1]!.recall).toBe(1);
    expect(m.perClass[1]!.f1).toBeCloseTo(6 / 7, 12);
    expect(m.macro.precision).toBeCloseTo(0.875, 12);
    expect(m.macro.recall).toBeCloseTo(0.9, 12);
    expect(m.macro.f1).toBeCloseTo((8 / 9 + 6 / 7) / 2, 12);
    expect(m.weighted.precision).toBeCloseTo(0.90625, 12);
    expect(m.weighted.recall).toBeCloseTo(0.875, 12);
    expect(m.weighted.f1).toBeCloseTo(((8 / 9) * 5 + (6 / 7) * 3) / 8, 12);
    expect(metricValue(m, 'f1:1')).toBeCloseTo(6 / 7, 12);
  });

  it('a class never seen nor predicted scores 0 and still counts in the macro average', () => {
    const yTrue = [0, 0, 0, 1, 1, 2, 2, 2, 2, 0];
    const yPred = [0, 1, 0, 1, 2, 2, 2, 0, 2, 0];
    const m = classificationMetrics(yTrue, yPred, 4);
    expect(m.accuracy).toBeCloseTo(0.7, 12);
    expect(m.perClass.map((c) => c.f1)).toEqual([0.75, 0.5, 0.75, 0]);
    expect(m.perClass[3]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.macro.f1).toBeCloseTo(0.5, 12);
    expect(m.weighted.f1).toBeCloseTo(0.7, 12);
    expect(metricValue(m, 'macro_f1')).toBeCloseTo(0.5, 12);
  });

  it('majority-class predictions give F1 0 for the minority class', () => {
    const m = classificationMetrics([0, 0, 0, 1], [0, 0, 0, 0], 2);
    expect(m.perClass[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(m.perClass[0]!.precision).toBeCloseTo(0.75, 12);
  });

  it('rejects mismatched lengths and out-of-range labels', () => {
    expect(() => classificationMetrics([0, 1], [0], 2)).toThrow(/2 true labels but 1/);
    expect(() => classificationMetrics([0, 2], [0, 1], 2)).toThrow(/outside/);
  });
});

describe('multiLabelMetrics', () => {
  it('micro/macro F1 and subset accuracy', () => {
    const t = [
      [1, 0, 1],
      [0, 1, 0],
      [1, 1, 0],
      [0, 0, 0],
    ];
    const p = [
      [1, 0, 0],
      [0, 1, 1],
      [1, 0, 0],
      [0, 0, 0],
    ];
    const m = multiLabelMetrics(t, p, 3);
    expect(m.subsetAccuracy).toBe(0.25);
    expect(m.microF1).toBeCloseTo(6 / 9, 12);
    expect(m.macroF1).toBeCloseTo((1 + 2 / 3 + 0) / 3, 12);
    expect(m.perClass.map((c) => c.support)).toEqual([2, 2, 1]);
  });
});

describe('argmaxRows', () => {
  it('takes the first maximum like numpy', () => {
    expect([...argmaxRows([0.1, 0.9, 0.5, 0.5, -1, -2], 2)]).toEqual([1, 0, 0]);
  });
});

describe('class weights', () => {
  it("'balanced' = n_samples / (n_classes * count)", () => {
    const w = balancedClassWeights([0, 0, 0, 1], 2);
    expect(w[0]).toBeCloseTo(4 / 6, 12);
    expect(w[1]).toBe(2);
    expect(resolveClassWeights('none', [0], 1)).toBeNull();
    expect(resolveClassWeights([1, 3], [0, 1], 2)).toEqual([1, 3]);
  });
  it('fails clearly when a class has no examples or sizes disagree', () => {
    expect(() => balancedClassWeights([0, 0], 2)).toThrow(/class 1 has no training examples/);
    expect(() => resolveClassWeights([1], [0, 1], 2)).toThrow(/1 class weights for 2 classes/);
  });
});
