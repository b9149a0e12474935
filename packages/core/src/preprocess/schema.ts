import { InvalidArgumentError } from '../errors.js';

/** How a numeric column is scaled after imputation: x' = (x - center) / scale. */
export const SCALINGS = ['standard', 'minmax', 'none'] as const;
/** A numeric column's scaling, one of SCALINGS. */
export type Scaling = (typeof SCALINGS)[number];

/** A number (or a boolean as 0/1) column: missing values (NaN) are imputed, then scaled. */
export interface NumericColumn {
  readonly name: string;
  readonly kind: 'numeric' | 'boolean';
  /** What replaces a missing value, and how it was chosen. */
  readonly impute: number;
  readonly imputeStrategy: 'mean' | 'median' | 'constant';
  readonly scaling: Scaling;
  readonly center: number;
  /** Never 0: a column with no spread keeps scale 1, so it maps to 0 instead of NaN. */
  readonly scale: number;
}

/**
 * A column of categories, fed to the model as the index of its value in `vocabulary` (-1, or any
 * index not in it, for an unseen value: its one-hot is all zeros) and one-hot encoded in the graph.
 * A missing value (NaN) becomes `missingIndex`: the most frequent category, or a dedicated
 * "missing" category at the end of the vocabulary.
 */
export interface CategoricalColumn {
  readonly name: string;
  readonly kind: 'categorical';
  readonly vocabulary: readonly string[];
  readonly missing: 'most_frequent' | 'category';
  readonly missingIndex: number;
  /**
   * A capped vocabulary's "<other>" slot: the index that values beyond the cap (and values never
   * seen) are encoded as; absent when every category has its own slot (an unseen value is then -1).
   */
  readonly otherIndex?: number;
  /** How many distinct values share the "<other>" slot (estimated for very many). */
  readonly otherCategories?: number;
}

export type ColumnSchema = NumericColumn | CategoricalColumn;

/**
 * The preprocessing baked into a model: the raw feature vector's columns in order. The model's
 * input is that raw vector; imputation, scaling and one-hot encoding happen inside the graph.
 */
export interface Preprocessing {
  readonly columns: readonly ColumnSchema[];
}

/** Number of features the MLP sees: one per numeric column, one per category of each categorical. */
export function featureWidth(p: Preprocessing): number {
  return p.columns.reduce((n, c) => n + (c.kind === 'categorical' ? c.vocabulary.length : 1), 0);
}

/** Names of the features after preprocessing, in the order the MLP sees them. */
export function featureNames(p: Preprocessing): string[] {
  return [
    ...p.columns.filter((c) => c.kind !== 'categorical').map((c) => c.name),
    ...p.columns.flatMap((c) => (c.kind === 'categorical' ? c.vocabulary.map((v) => `${c.name}=${v}`) : [])),
  ];
}

/** Throws InvalidArgumentError naming the first column that cannot be encoded. */
export function validatePreprocessing(p: Preprocessing): void {
  if (p.columns.length === 0) throw new InvalidArgumentError('columns', [], 'at least one feature column is needed');
  const seen = new Set<string>();
  for (const c of p.columns) {
    if (seen.has(c.name)) throw new InvalidArgumentError('columns', c.name, 'appears twice');
    seen.add(c.name);
    if (c.kind === 'categorical') {
      if (c.vocabulary.length === 0)
        throw new InvalidArgumentError(`columns.${c.name}`, c.vocabulary, 'a categorical column needs at least one category');
      if (!(c.missingIndex >= 0 && c.missingIndex < c.vocabulary.length))
        throw new InvalidArgumentError(`columns.${c.name}.missingIndex`, c.missingIndex, 'must index the vocabulary');
      if (c.otherIndex !== undefined && !(Number.isInteger(c.otherIndex) && c.otherIndex >= 0 && c.otherIndex < c.vocabulary.length))
        throw new InvalidArgumentError(`columns.${c.name}.otherIndex`, c.otherIndex, 'must index the vocabulary');
    } else if (![c.impute, c.center, c.scale].every(Number.isFinite) || c.scale === 0) {
      throw new InvalidArgumentError(
        `columns.${c.name}`,
        { impute: c.impute, center: c.center, scale: c.scale },
        'needs finite statistics and a non-zero scale',
      );
    }
  }
}
