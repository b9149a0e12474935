import { expect, it } from 'vitest';
import { classificationReport, regressionReport } from '@onnx-mlp/core';
import { confusionMatrix, rocAuc } from '@onnx-mlp/core/metrics';

// Expected values worked by hand (and identical to scikit-learn's classification_report,
// roc_auc_score, mean_squared_error, r2_score on the same arrays).
it('classification report: per-class, macro and weighted scores and the confusion matrix', () => {
  const truth = [0, 0, 0, 1, 1, 2];
  const pred = [0, 0, 1, 1, 2, 2];
  const r = classificationReport(truth, pred, 3);
  expect(r.confusion).toEqual([
    [2, 1, 0],
    [0, 1, 1],
    [0, 0, 1],
  ]);
  expect(r.accuracy).toBeCloseTo(4 / 6, 12);
  expect(r.perClass[0]).toEqual({ precision: 1, recall: 2 / 3, f1: 0.8, support: 3 });
  expect(r.perClass[1]!.precision).toBeCloseTo(0.5, 12);
  expect(r.perClass[1]!.recall).toBeCloseTo(0.5, 12);
  expect(r.perClass[2]).toMatchObject({ precision: 0.5, recall: 1, support: 1 });
  expect(r.perClass[2]!.f1).toBeCloseTo(2 / 3, 12);
  expect(r.macro.f1).toBeCloseTo((0.8 + 0.5 + 2 / 3) / 3, 12);
  expect(r.weighted.f1).toBeCloseTo((0.8 * 3 + 0.5 * 2 + (2 / 3) * 1) / 6, 12);
  expect(r.rocAuc).toBeUndefined();
});

it('a class never predicted scores 0, not NaN', () => {
  const r = classificationReport([0, 1], [0, 0], 2);
  expect(r.perClass[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
  expect(confusionMatrix([0, 1], [0, 0], 2)).toEqual([
    [1, 0],
    [1, 0],
  ]);
});

it('ROC-AUC with ties counts them half', () => {
  expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
  expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9])).toBeCloseTo(0.875, 12);
  expect(classificationReport([0, 1, 1], [0, 1, 0], 2, [0.2, 0.9, 0.4]).rocAuc).toBeCloseTo(1, 12);
  expect(Number.isNaN(rocAuc([1, 1], [0.2, 0.3]))).toBe(true);
});

it('regression report: MSE, MAE, R²', () => {
  const r = regressionReport([3, -0.5, 2, 7], [2.5, 0, 2, 8]);
  expect(r.mse).toBeCloseTo(0.375, 12);
  expect(r.mae).toBeCloseTo(0.5, 12);
  expect(r.r2).toBeCloseTo(0.9486081370449679, 12);
  const two = regressionReport([1, 10, 2, 20, 3, 30], [1, 10, 2, 20, 3, 30], 2);
  expect(two).toEqual({ mse: 0, mae: 0, r2: 1 });
});
