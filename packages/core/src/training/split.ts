import { Rng } from '../model/rng.js';
import { InvalidArgumentError } from '../errors.js';
import { range } from './batches.js';
import { type Dataset, selectRows } from './dataset.js';

/** Splits `data` at random (seeded): the first `trainRows` of a permutation train, the rest test. */
export function trainTestSplit(data: Dataset, trainRows: number, seed: number, targetWidth = 1): [Dataset, Dataset] {
  checkTrainRows(data, trainRows);
  const order = new Rng(seed).permutation(data.rows);
  return [selectRows(data, order.subarray(0, trainRows), targetWidth), selectRows(data, order.subarray(trainRows), targetWidth)];
}

/**
 * Splits a classification dataset (seeded) so each class keeps its share in both parts: class c
 * gets its proportional quota of the `trainRows`, rounded by largest remainder so the total is exact.
 */
export function stratifiedSplit(data: Dataset, trainRows: number, seed: number): [Dataset, Dataset] {
  checkTrainRows(data, trainRows);
  const rng = new Rng(seed);
  const byClass = new Map<number, number[]>();
  for (let r = 0; r < data.rows; r++) {
    const c = data.targets[r]!;
    if (!byClass.has(c)) byClass.set(c, []);
    byClass.get(c)!.push(r);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const exact = classes.map((c) => (byClass.get(c)!.length * trainRows) / data.rows);
  const quota = exact.map(Math.floor);
  const byRemainder = classes.map((_, i) => i).sort((a, b) => exact[b]! - quota[b]! - (exact[a]! - quota[a]!) || a - b);
  const shortfall = trainRows - quota.reduce((a, b) => a + b, 0);
  for (let k = 0; k < shortfall; k++) quota[byRemainder[k]!]!++;
  const train: number[] = [];
  const test: number[] = [];
  classes.forEach((c, i) => {
    const rows = byClass.get(c)!;
    const order = rng.permutation(rows.length);
    order.forEach((j, k) => (k < quota[i]! ? train : test).push(rows[j]!));
  });
  return [selectRows(data, train, 1), selectRows(data, test, 1)];
}

/**
 * Splits off Keras-style validation rows when `validationSplit` is set: the last rows, before any
 * shuffle. Without it, the data as given and `validationData`.
 */
export function holdOut(
  data: Dataset,
  options: { readonly validationSplit?: number; readonly validationData?: Dataset },
  targetWidth: number,
): [Dataset, Dataset | undefined] {
  const fraction = options.validationSplit;
  if (fraction === undefined) return [data, options.validationData];
  if (!(fraction > 0 && fraction < 1)) throw new InvalidArgumentError('validationSplit', fraction, 'must be in (0, 1)');
  if (options.validationData) throw new InvalidArgumentError('validationSplit', fraction, 'cannot be combined with validationData');
  const cut = data.rows - Math.round(data.rows * fraction);
  if (cut <= 0 || cut >= data.rows)
    throw new InvalidArgumentError('validationSplit', fraction, `leaves no rows on one side of ${data.rows}`);
  return [selectRows(data, range(cut), targetWidth), selectRows(data, range(data.rows - cut, cut), targetWidth)];
}

function checkTrainRows(data: Dataset, trainRows: number): void {
  if (!Number.isInteger(trainRows) || trainRows <= 0 || trainRows >= data.rows) {
    throw new InvalidArgumentError(
      'trainRows',
      trainRows,
      `must be an integer between 1 and ${data.rows - 1} (the data has ${data.rows} rows)`,
    );
  }
}
