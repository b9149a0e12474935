// Per-group metrics and disparities, with Fairlearn's definitions (fairlearn.metrics, v0.13):
//   demographic_parity_difference = max - min over groups of selection_rate (share predicted positive)
//   demographic_parity_ratio      = min / max of the same
//   equalized_odds_difference     = max(TPR difference, FPR difference), each max - min over groups
//   equalized_odds_ratio          = min(TPR ratio, FPR ratio), each min / max over groups
// (their defaults method='between_groups', agg='worst_case'; checked in fairlearn/metrics/_fairness_metrics.py)
// https://fairlearn.org/v0.13/api_reference/generated/fairlearn.metrics.equalized_odds_difference.html
// One difference: a rate with an empty denominator (a group without positives has no TPR) is null
// with a reason here and that group is left out of the TPR's disparity; scikit-learn's confusion
// matrix, which Fairlearn uses, turns it into 0 instead.
import { groupName, groupRows, type GroupKey, type SensitiveValues } from './sensitive-groups.js';

/** Why a figure is null, by its field name: too few rows of some kind for it. */
export type Reasons = Readonly<Record<string, string>>;

/** One class's rates in one group, one-vs-rest (binary: the positive class only). */
export interface ClassRates {
  readonly class: string;
  /** Share of the group's rows predicted as the class. */
  readonly selectionRate: number;
  /** Of the group's rows of the class, the share predicted as it; null without such rows. */
  readonly truePositiveRate: number | null;
  /** Of the group's rows of other classes, the share predicted as the class; null without such rows. */
  readonly falsePositiveRate: number | null;
  readonly reasons: Reasons;
}

/** A classifier's figures on one group of rows. */
export interface ClassificationGroup extends GroupKey {
  readonly accuracy: number;
  readonly classes: readonly ClassRates[];
}

/** How far apart the groups are for one class (binary: the positive class), in Fairlearn's terms. */
export interface Disparity {
  readonly class: string;
  readonly demographicParityDifference: number;
  /** Null when no group selects the class (0 / 0). */
  readonly demographicParityRatio: number | null;
  readonly truePositiveRateDifference: number | null;
  readonly truePositiveRateRatio: number | null;
  readonly falsePositiveRateDifference: number | null;
  readonly falsePositiveRateRatio: number | null;
  /** max(TPR difference, FPR difference); null when either is. */
  readonly equalizedOddsDifference: number | null;
  /** min(TPR ratio, FPR ratio); null when either is. */
  readonly equalizedOddsRatio: number | null;
  readonly reasons: Reasons;
}

/** Per-group figures of a classifier and the disparities between the groups. */
export interface ClassificationFairness {
  readonly kind: 'classification';
  /** The sensitive columns. */
  readonly columns: readonly string[];
  /** Every row as one group, for comparison. */
  readonly overall: ClassificationGroup;
  readonly groups: readonly ClassificationGroup[];
  /** One per class in `classes` of each group. */
  readonly disparities: readonly Disparity[];
}

/** What classificationFairness scores: true and predicted class indices, the class names, the sensitive values per row. */
export interface ClassificationFairnessInput {
  readonly truth: ArrayLike<number>;
  readonly predicted: ArrayLike<number>;
  readonly classNames: readonly string[];
  readonly sensitive: SensitiveValues;
}

/** Counts of one class in one group. */
interface ClassCounts {
  truePositives: number;
  predictedPositives: number;
  actualPositives: number;
}

/** The classes whose rates are reported: the positive class (index 1, Fairlearn's pos_label=1) of a binary task, else each class. */
function reportedClasses(classes: number): number[] {
  return classes === 2 ? [1] : Array.from({ length: classes }, (_, c) => c);
}

function groupFigures(key: GroupKey, correct: number, counts: readonly ClassCounts[], names: readonly string[]): ClassificationGroup {
  const classes = counts.map((n, k): ClassRates => {
    const name = names[k]!;
    const negatives = key.size - n.actualPositives;
    const reasons: Record<string, string> = {};
    if (n.actualPositives === 0) reasons.truePositiveRate = `no rows of class ${JSON.stringify(name)} in this group`;
    if (negatives === 0) reasons.falsePositiveRate = `no rows of other classes than ${JSON.stringify(name)} in this group`;
    return {
      class: name,
      selectionRate: n.predictedPositives / key.size,
      truePositiveRate: n.actualPositives === 0 ? null : n.truePositives / n.actualPositives,
      falsePositiveRate: negatives === 0 ? null : (n.predictedPositives - n.truePositives) / negatives,
      reasons,
    };
  });
  return { ...key, accuracy: correct / key.size, classes };
}

/** Figures of every group of `rowGroup` (`groups` of them) over the reported classes. */
function figuresByGroup(
  input: ClassificationFairnessInput,
  groups: readonly GroupKey[],
  rowGroup: ArrayLike<number>,
): ClassificationGroup[] {
  const reported = reportedClasses(input.classNames.length);
  const counts = groups.map(() => reported.map(() => ({ truePositives: 0, predictedPositives: 0, actualPositives: 0 })));
  const correct = new Array<number>(groups.length).fill(0);
  for (let i = 0; i < input.truth.length; i++) {
    const g = rowGroup[i]!;
    const t = input.truth[i]!;
    const p = input.predicted[i]!;
    if (t === p) correct[g]!++;
    reported.forEach((c, k) => {
      const n = counts[g]![k]!;
      if (p === c) n.predictedPositives++;
      if (t === c) n.actualPositives++;
      if (p === c && t === c) n.truePositives++;
    });
  }
  const names = reported.map((c) => input.classNames[c]!);
  return groups.map((key, g) => groupFigures(key, correct[g]!, counts[g]!, names));
}

/** max - min and min / max of a rate over the groups where it is defined, with why either is null. */
function spread(
  groups: readonly ClassificationGroup[],
  k: number,
  rate: 'selectionRate' | 'truePositiveRate' | 'falsePositiveRate',
): { difference: number | null; ratio: number | null; reason?: string } {
  const defined = groups.filter((g) => g.classes[k]![rate] !== null);
  const left = groups.filter((g) => g.classes[k]![rate] === null).map((g) => JSON.stringify(groupName(g.values)));
  const leftOut = left.length > 0 ? `; left out, too few rows: ${left.join(', ')}` : '';
  if (defined.length === 0) return { difference: null, ratio: null, reason: `no group has rows to measure it${leftOut}` };
  const values = defined.map((g) => g.classes[k]![rate]!);
  const max = Math.max(...values);
  const min = Math.min(...values);
  if (max === 0) return { difference: 0, ratio: null, reason: `it is 0 in every group, so the ratio is 0 / 0${leftOut}` };
  return { difference: max - min, ratio: min / max, ...(leftOut ? { reason: `over ${defined.length} groups${leftOut}` } : {}) };
}

function disparity(groups: readonly ClassificationGroup[], k: number): Disparity {
  const sr = spread(groups, k, 'selectionRate');
  const tpr = spread(groups, k, 'truePositiveRate');
  const fpr = spread(groups, k, 'falsePositiveRate');
  const reasons: Record<string, string> = {};
  if (sr.reason) reasons.demographicParity = `selection rate: ${sr.reason}`;
  if (tpr.reason) reasons.truePositiveRate = tpr.reason;
  if (fpr.reason) reasons.falsePositiveRate = fpr.reason;
  const both = (a: number | null, b: number | null, pick: (x: number, y: number) => number) =>
    a === null || b === null ? null : pick(a, b);
  return {
    class: groups[0]!.classes[k]!.class,
    demographicParityDifference: sr.difference!,
    demographicParityRatio: sr.ratio,
    truePositiveRateDifference: tpr.difference,
    truePositiveRateRatio: tpr.ratio,
    falsePositiveRateDifference: fpr.difference,
    falsePositiveRateRatio: fpr.ratio,
    equalizedOddsDifference: both(tpr.difference, fpr.difference, Math.max),
    equalizedOddsRatio: both(tpr.ratio, fpr.ratio, Math.min),
    reasons,
  };
}

/**
 * A classifier's size, accuracy, selection rate, TPR and FPR in each group of the sensitive columns
 * (one-vs-rest per class; binary: of the positive class), and Fairlearn's demographic-parity and
 * equalised-odds differences and ratios between the groups.
 */
export function classificationFairness(input: ClassificationFairnessInput): ClassificationFairness {
  const rows = input.truth.length;
  const { groups, rowGroup } = groupRows(input.sensitive, rows);
  const figures = figuresByGroup(input, groups, rowGroup);
  const [overall] = figuresByGroup(input, [{ values: [], size: rows }], new Int32Array(rows));
  return {
    kind: 'classification',
    columns: input.sensitive.columns,
    overall: overall!,
    groups: figures,
    disparities: overall!.classes.map((_, k) => disparity(figures, k)),
  };
}

/** A disparity above the threshold. */
export interface FairnessExceedance {
  readonly metric: 'demographic parity' | 'equalized odds';
  readonly class: string;
  readonly difference: number;
}

/** The demographic-parity and equalised-odds differences above `threshold`, class by class. */
export function fairnessExceedances(f: ClassificationFairness, threshold: number): FairnessExceedance[] {
  return f.disparities.flatMap((d) => [
    ...(d.demographicParityDifference > threshold
      ? [{ metric: 'demographic parity' as const, class: d.class, difference: d.demographicParityDifference }]
      : []),
    ...(d.equalizedOddsDifference !== null && d.equalizedOddsDifference > threshold
      ? [{ metric: 'equalized odds' as const, class: d.class, difference: d.equalizedOddsDifference }]
      : []),
  ]);
}
