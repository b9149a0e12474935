import { DEFAULT_MAX_CATEGORIES, NONFINITE_CHOICES, type NonfiniteHandling } from '@onnx-mlp/core/tabular';
import type { OptionSpec } from '../options/option-spec.js';
import { integer, oneOf } from '../options/value-checks.js';

const DATA = 'Data (without --data: the MNIST digits):';

/** The data-quality group of train's option table (TRAIN_OPTIONS): bad cells, unlabelled rows, vocabulary sizes. */
export const TRAIN_DATA_QUALITY_OPTIONS = [
  {
    name: 'nonfinite',
    kind: 'string',
    group: DATA,
    needsData: true,
    defaultDescription: '"error"',
    check: oneOf(NONFINITE_CHOICES),
    describe: `A numeric cell that is Infinity or beyond float32: ${NONFINITE_CHOICES.join(' | ')} (missing: imputed like an empty cell)`,
  },
  {
    name: 'drop-missing-label',
    kind: 'boolean',
    group: DATA,
    needsData: true,
    defaultDescription: 'false',
    describe: 'Leave out rows whose label is missing (counted in the data line) instead of refusing them',
  },
  {
    name: 'max-categories',
    kind: 'number',
    group: DATA,
    needsData: true,
    defaultDescription: String(DEFAULT_MAX_CATEGORIES),
    check: integer(2, 1_000_000),
    describe: 'Categories kept per categorical column, most frequent first; the rest share one "other" slot',
  },
] as const satisfies readonly OptionSpec[];

/** The data-quality settings of a tabular run, with their defaults (the web package's are the same). */
export function dataQualitySettings(args: {
  readonly nonfinite?: string | undefined;
  readonly dropMissingLabel?: boolean | undefined;
  readonly maxCategories?: number | undefined;
}): { nonfinite: NonfiniteHandling; dropMissingLabel: boolean; maxCategories: number } {
  const [nonfinite, maxCategories] = [TRAIN_DATA_QUALITY_OPTIONS[0], TRAIN_DATA_QUALITY_OPTIONS[2]];
  return {
    nonfinite: nonfinite.check('nonfinite', args.nonfinite ?? 'error'),
    dropMissingLabel: args.dropMissingLabel ?? false,
    maxCategories: maxCategories.check('max-categories', args.maxCategories ?? DEFAULT_MAX_CATEGORIES),
  };
}
