import { groupRows, type GroupKey, type SensitiveValues } from './sensitive-groups.js';

/** A regression model's figures on one group of rows. */
export interface RegressionGroup extends GroupKey {
  /** Mean absolute error over the group's rows and every output. */
  readonly mae: number;
  /** Mean prediction, one per output. */
  readonly meanPrediction: readonly number[];
  /** Mean target, one per output. */
  readonly meanTarget: readonly number[];
}

/** Per-group figures of a regression model and how far apart the groups are (max - min, in the target's units). */
export interface RegressionFairness {
  readonly kind: 'regression';
  readonly columns: readonly string[];
  readonly overall: RegressionGroup;
  readonly groups: readonly RegressionGroup[];
  readonly maeDifference: number;
  /** One per output. */
  readonly meanPredictionDifference: readonly number[];
}

/** What regressionFairness scores: targets and predictions row-major, `width` a row, and the sensitive values per row. */
export interface RegressionFairnessInput {
  readonly targets: ArrayLike<number>;
  readonly predictions: ArrayLike<number>;
  readonly width: number;
  readonly sensitive: SensitiveValues;
}

function figuresByGroup(input: RegressionFairnessInput, groups: readonly GroupKey[], rowGroup: ArrayLike<number>): RegressionGroup[] {
  const { width, targets, predictions } = input;
  const sums = groups.map(() => ({ absolute: 0, prediction: new Array<number>(width).fill(0), target: new Array<number>(width).fill(0) }));
  for (let i = 0; i < targets.length / width; i++) {
    const s = sums[rowGroup[i]!]!;
    for (let k = 0; k < width; k++) {
      const y = targets[i * width + k]!;
      const p = predictions[i * width + k]!;
      s.absolute += Math.abs(y - p);
      s.prediction[k]! += p;
      s.target[k]! += y;
    }
  }
  return groups.map((key, g) => {
    const s = sums[g]!;
    return {
      ...key,
      mae: s.absolute / (key.size * width),
      meanPrediction: s.prediction.map((v) => v / key.size),
      meanTarget: s.target.map((v) => v / key.size),
    };
  });
}

const range = (values: readonly number[]): number => Math.max(...values) - Math.min(...values);

/** A regression model's size, MAE and mean prediction in each group of the sensitive columns, and their spread. */
export function regressionFairness(input: RegressionFairnessInput): RegressionFairness {
  const rows = input.targets.length / input.width;
  const { groups, rowGroup } = groupRows(input.sensitive, rows);
  const figures = figuresByGroup(input, groups, rowGroup);
  const [overall] = figuresByGroup(input, [{ values: [], size: rows }], new Int32Array(rows));
  return {
    kind: 'regression',
    columns: input.sensitive.columns,
    overall: overall!,
    groups: figures,
    maeDifference: range(figures.map((g) => g.mae)),
    meanPredictionDifference: overall!.meanPrediction.map((_, k) => range(figures.map((g) => g.meanPrediction[k]!))),
  };
}
