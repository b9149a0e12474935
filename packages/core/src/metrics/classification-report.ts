/** Precision, recall, F1 and support of one class (or an average over classes). */
export interface ClassScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

/** What `evaluate` reports for a classifier, as scikit-learn's classification_report does. */
export interface ClassificationReport {
  readonly accuracy: number;
  readonly perClass: readonly ClassScores[];
  readonly macro: ClassScores;
  readonly weighted: ClassScores;
  /** confusion[true][predicted]: counts. */
  readonly confusion: readonly (readonly number[])[];
  /** Area under the ROC curve of the positive class, for binary tasks. */
  readonly rocAuc?: number;
}

/** The confusion matrix of integer labels over `classes` classes. */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) m[truth[i]!]![predicted[i]!]!++;
  return m;
}

// A class never predicted has precision 0 (scikit-learn's zero_division=0), not NaN.
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Per-class and averaged scores from true and predicted labels. */
export function classificationReport(
  truth: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes: number,
  positiveScores?: ArrayLike<number>,
): ClassificationReport {
  const confusion = confusionMatrix(truth, predicted, classes);
  const perClass = confusion.map((row, c) => {
    const tp = row[c]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((a, r) => a + r[c]!, 0);
    const precision = ratio(tp, predictedCount);
    const recall = ratio(tp, support);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const total = truth.length;
  const average = (weight: (s: ClassScores) => number): ClassScores => {
    const w = perClass.map(weight);
    const sum = w.reduce((a, b) => a + b, 0);
    const mean = (f: (s: ClassScores) => number) => perClass.reduce((a, s, i) => a + f(s) * w[i]!, 0) / sum;
    return { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1), support: total };
  };
  const correct = confusion.reduce((a, row, c) => a + row[c]!, 0);
  return {
    accuracy: total === 0 ? 0 : correct / total,
    perClass,
    macro: average(() => 1),
    weighted: average((s) => s.support),
    confusion,
    ...(classes === 2 && positiveScores ? { rocAuc: rocAuc(truth, positiveScores) } : {}),
  };
}

/**
 * ROC-AUC of scores for the positive class (label 1): the probability that a random positive
 * scores above a random negative, ties counting half (the Mann-Whitney form, exact).
 */
export function rocAuc(truth: ArrayLike<number>, scores: ArrayLike<number>): number {
  const order = Array.from({ length: truth.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPositive = 0;
  let positives = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++)
      if (truth[order[k]!] === 1) {
        rankSumPositive += averageRank;
        positives++;
      }
    i = j + 1;
  }
  const negatives = truth.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSumPositive - (positives * (positives + 1)) / 2) / (positives * negatives);
}
