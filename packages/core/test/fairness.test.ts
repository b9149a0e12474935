import { describe, expect, it } from 'vitest';
import { classificationFairness, fairnessExceedances, groupName, groupRows, regressionFairness } from '@onnx-mlp/core/metrics';

// A binary table with a known answer. F: truth 1,1,1,0,0,0 predicted 1,1,0,0,1,0; M: truth 1,1,0,0,0,0
// predicted 1,0,1,0,0,0. By hand: F selects 3/6, TPR 2/3, FPR 1/3, accuracy 4/6; M selects 2/6,
// TPR 1/2, FPR 1/4, accuracy 4/6.
const SEX = [...'FFFFFF', ...'MMMMMM'];
const TRUTH = [1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0];
const PRED = [1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0];
const NAMES = ['no', 'yes'];

// Fairlearn's definitions (fairlearn.metrics, v0.13): demographic_parity_difference = max - min
// selection rate over groups, _ratio = min / max; equalized_odds_difference = max(TPR difference,
// FPR difference), equalized_odds_ratio = min(TPR ratio, FPR ratio). The figures Fairlearn itself
// gives on this table were computed once with
//   python3 -m venv /tmp/fl && /tmp/fl/bin/pip install fairlearn==0.13.0
// and demographic_parity_difference/_ratio, equalized_odds_difference/_ratio and MetricFrame
// (selection_rate, true_positive_rate, false_positive_rate) on y_true=TRUTH, y_pred=PRED,
// sensitive_features=SEX; they printed:
const FAIRLEARN = {
  selectionRate: { F: 0.5, M: 0.3333333333333333 },
  truePositiveRate: { F: 0.6666666666666666, M: 0.5 },
  falsePositiveRate: { F: 0.3333333333333333, M: 0.25 },
  demographicParityDifference: 0.16666666666666669,
  demographicParityRatio: 0.6666666666666666,
  equalizedOddsDifference: 0.16666666666666663,
  equalizedOddsRatio: 0.75,
};

describe('classificationFairness, binary', () => {
  const f = classificationFairness({ truth: TRUTH, predicted: PRED, classNames: NAMES, sensitive: { columns: ['sex'], values: [SEX] } });

  it('per group: size, accuracy and the positive class rates, as worked by hand', () => {
    expect(f.groups.map((g) => [g.values, g.size, g.accuracy])).toEqual([
      [['F'], 6, 4 / 6],
      [['M'], 6, 4 / 6],
    ]);
    expect(f.groups.map((g) => g.classes)).toEqual([
      [{ class: 'yes', selectionRate: 3 / 6, truePositiveRate: 2 / 3, falsePositiveRate: 1 / 3, reasons: {} }],
      [{ class: 'yes', selectionRate: 2 / 6, truePositiveRate: 1 / 2, falsePositiveRate: 1 / 4, reasons: {} }],
    ]);
    expect(f.overall).toMatchObject({ size: 12, accuracy: 8 / 12 });
    expect(f.overall.classes[0]).toMatchObject({ selectionRate: 5 / 12, truePositiveRate: 3 / 5, falsePositiveRate: 2 / 7 });
  });

  it("disparities equal Fairlearn's figures on the same table", () => {
    const [d] = f.disparities;
    for (const [g, group] of f.groups.entries()) {
      const name = group.values[0] as 'F' | 'M';
      expect(name).toBe(['F', 'M'][g]);
      expect(group.classes[0]!.selectionRate).toBeCloseTo(FAIRLEARN.selectionRate[name], 12);
      expect(group.classes[0]!.truePositiveRate).toBeCloseTo(FAIRLEARN.truePositiveRate[name], 12);
      expect(group.classes[0]!.falsePositiveRate).toBeCloseTo(FAIRLEARN.falsePositiveRate[name], 12);
    }
    expect(d!.demographicParityDifference).toBeCloseTo(FAIRLEARN.demographicParityDifference, 12);
    expect(d!.demographicParityRatio).toBeCloseTo(FAIRLEARN.demographicParityRatio, 12);
    expect(d!.equalizedOddsDifference).toBeCloseTo(FAIRLEARN.equalizedOddsDifference, 12);
    expect(d!.equalizedOddsRatio).toBeCloseTo(FAIRLEARN.equalizedOddsRatio, 12);
    // By hand: TPR 2/3 vs 1/2, FPR 1/3 vs 1/4.
    expect(d).toMatchObject({ class: 'yes', truePositiveRateRatio: 0.75, falsePositiveRateRatio: 0.75, reasons: {} });
    expect(d!.truePositiveRateDifference).toBeCloseTo(1 / 6, 12);
    expect(d!.falsePositiveRateDifference).toBeCloseTo(1 / 12, 12);
  });

  it('a group without positives has a null TPR with its reason and is left out of the TPR disparity (never NaN)', () => {
    // One more row, group X: truth 0, predicted 1. Fairlearn (through scikit-learn's confusion matrix)
    // gives X a TPR of 0 and a TPR difference of 2/3; here X has none and the difference is F vs M.
    const g = classificationFairness({
      truth: [...TRUTH, 0],
      predicted: [...PRED, 1],
      classNames: NAMES,
      sensitive: { columns: ['sex'], values: [[...SEX, 'X']] },
    });
    const x = g.groups[2]!;
    expect(x).toMatchObject({ values: ['X'], size: 1, accuracy: 0 });
    expect(x.classes[0]).toEqual({
      class: 'yes',
      selectionRate: 1,
      truePositiveRate: null,
      falsePositiveRate: 1,
      reasons: { truePositiveRate: 'no rows of class "yes" in this group' },
    });
    const d = g.disparities[0]!;
    expect(d.truePositiveRateDifference).toBeCloseTo(1 / 6, 12);
    expect(d.falsePositiveRateDifference).toBeCloseTo(1 - 1 / 4, 12);
    expect(d.equalizedOddsDifference).toBeCloseTo(0.75, 12);
    expect(d.demographicParityDifference).toBeCloseTo(1 - 2 / 6, 12);
    expect(d.reasons.truePositiveRate).toBe('over 2 groups; left out, too few rows: "X"');
    expect(JSON.stringify(g)).not.toMatch(/NaN|null,"reasons":\{\}/);
  });

  it('a threshold flags the differences above it, and only those', () => {
    expect(fairnessExceedances(f, 0.1)).toEqual([
      { metric: 'demographic parity', class: 'yes', difference: f.disparities[0]!.demographicParityDifference },
      { metric: 'equalized odds', class: 'yes', difference: f.disparities[0]!.equalizedOddsDifference },
    ]);
    expect(fairnessExceedances(f, 0.2)).toEqual([]);
  });
});

describe('classificationFairness, multiclass (one-vs-rest)', () => {
  // A: truth 0,1,2,0 predicted 0,1,1,2; B: truth 0,0,1,2 predicted 0,1,1,2.
  const f = classificationFairness({
    truth: [0, 1, 2, 0, 0, 0, 1, 2],
    predicted: [0, 1, 1, 2, 0, 1, 1, 2],
    classNames: ['a', 'b', 'c'],
    sensitive: { columns: ['g'], values: [[...'AAAABBBB']] },
  });

  it('every class gets its rates in every group, as worked by hand', () => {
    const rates = (g: number) => f.groups[g]!.classes.map((c) => [c.class, c.selectionRate, c.truePositiveRate, c.falsePositiveRate]);
    expect(rates(0)).toEqual([
      ['a', 0.25, 0.5, 0],
      ['b', 0.5, 1, 1 / 3],
      ['c', 0.25, 0, 1 / 3],
    ]);
    expect(rates(1)).toEqual([
      ['a', 0.25, 0.5, 0],
      ['b', 0.5, 1, 1 / 3],
      ['c', 0.25, 1, 0],
    ]);
    expect(f.groups.map((g) => g.accuracy)).toEqual([0.5, 0.75]);
  });

  it('per-class disparities; a ratio of rates that are 0 in every group is null with its reason', () => {
    const [a, , c] = f.disparities;
    expect(a).toMatchObject({
      demographicParityDifference: 0,
      demographicParityRatio: 1,
      truePositiveRateDifference: 0,
      truePositiveRateRatio: 1,
      falsePositiveRateDifference: 0,
      falsePositiveRateRatio: null,
      equalizedOddsDifference: 0,
      equalizedOddsRatio: null,
    });
    expect(a!.reasons.falsePositiveRate).toBe('it is 0 in every group, so the ratio is 0 / 0');
    expect(c).toMatchObject({
      demographicParityDifference: 0,
      truePositiveRateDifference: 1,
      truePositiveRateRatio: 0,
      equalizedOddsDifference: 1,
    });
    expect(c!.falsePositiveRateDifference).toBeCloseTo(1 / 3, 12);
    expect(c!.equalizedOddsRatio).toBe(0);
    expect(fairnessExceedances(f, 0.1)).toEqual([{ metric: 'equalized odds', class: 'c', difference: 1 }]);
  });
});

describe('groups of several columns', () => {
  it('one group per combination present, missing values (null, "", NA) a group of their own, values trimmed, in sorted order', () => {
    const { groups, rowGroup } = groupRows(
      {
        columns: ['sex', 'age'],
        values: [
          ['M', 'F', 'M', 'F', null, ' M ', ''],
          ['old', 'young', 'old', 'old', 'young', 'old', 'NA'],
        ],
      },
      7,
    );
    expect(groups).toEqual([
      { values: [null, null], size: 1 },
      { values: [null, 'young'], size: 1 },
      { values: ['F', 'old'], size: 1 },
      { values: ['F', 'young'], size: 1 },
      { values: ['M', 'old'], size: 3 },
    ]);
    expect([...rowGroup]).toEqual([4, 3, 4, 2, 1, 4, 0]);
    expect(groups.map((g) => groupName(g.values))).toEqual(['(missing), (missing)', '(missing), young', 'F, old', 'F, young', 'M, old']);
  });
});

describe('regressionFairness', () => {
  it('per-group MAE and mean prediction, and their spread', () => {
    // a: targets 1, 2 predicted 1.5, 2.5; b: target 3 predicted 2.
    const f = regressionFairness({
      targets: [1, 3, 2],
      predictions: [1.5, 2, 2.5],
      width: 1,
      sensitive: { columns: ['s'], values: [['a', 'b', 'a']] },
    });
    expect(f.groups).toEqual([
      { values: ['a'], size: 2, mae: 0.5, meanPrediction: [2], meanTarget: [1.5] },
      { values: ['b'], size: 1, mae: 1, meanPrediction: [2], meanTarget: [3] },
    ]);
    expect(f.overall).toMatchObject({ size: 3, mae: 2 / 3, meanPrediction: [2] });
    expect(f.maeDifference).toBe(0.5);
    expect(f.meanPredictionDifference).toEqual([0]);
  });

  it('several outputs: MAE over all of them, a mean prediction per output', () => {
    const f = regressionFairness({
      targets: [0, 0, 1, 1],
      predictions: [1, 2, 1, 1],
      width: 2,
      sensitive: { columns: ['s'], values: [['x', 'y']] },
    });
    expect(f.groups.map((g) => [g.mae, g.meanPrediction])).toEqual([
      [1.5, [1, 2]],
      [0, [1, 1]],
    ]);
    expect(f.meanPredictionDifference).toEqual([0, 1]);
  });
});
