import type { Preprocessing } from './schema.js';

/** One raw column of a model's preprocessing, as `inspect` and the model card show it. */
export interface ColumnSummary {
  /** Position in the model's raw input vector. */
  readonly index: number;
  readonly name: string;
  readonly kind: 'numeric' | 'boolean' | 'categorical';
  /** What a missing value becomes: `mean 5.84`, `most frequent "red"`, `own category`. */
  readonly imputation: string;
  /** Numeric columns: `standard (center 5.84, scale 0.83)`, `minmax (...)`, `none`. */
  readonly scaling?: string;
  /** Numeric columns: x' = (x - center) / scale. */
  readonly center?: number;
  readonly scale?: number;
  /** Categorical columns: how many categories the one-hot has. */
  readonly vocabularySize?: number;
  /** Categorical columns: the first categories, in one-hot order. */
  readonly firstValues?: readonly string[];
}

/** Up to 6 significant digits, without trailing zeros: 5.84333, 0.828066, 150. */
export function shortNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  return String(Number(x.toPrecision(6)));
}

/** Each raw column of `p`: its kind, imputation, scaling statistics or vocabulary (the first `shown` values). */
export function summarizePreprocessing(p: Preprocessing, shown = 5): ColumnSummary[] {
  return p.columns.map((c, index): ColumnSummary => {
    if (c.kind === 'categorical') {
      const imputation = c.missing === 'category' ? 'own category' : `most frequent ${JSON.stringify(c.vocabulary[c.missingIndex] ?? '')}`;
      return {
        index,
        name: c.name,
        kind: c.kind,
        imputation,
        vocabularySize: c.vocabulary.length,
        firstValues: c.vocabulary.slice(0, shown),
      };
    }
    const stats = c.scaling === 'none' ? '' : ` (center ${shortNumber(c.center)}, scale ${shortNumber(c.scale)})`;
    return {
      index,
      name: c.name,
      kind: c.kind,
      imputation: `${c.imputeStrategy} ${shortNumber(c.impute)}`,
      scaling: `${c.scaling}${stats}`,
      center: c.center,
      scale: c.scale,
    };
  });
}

/** A column's treatment on one line: scaling for numbers, the vocabulary for categories. */
export function columnTreatment(c: ColumnSummary): string {
  if (c.vocabularySize === undefined) return c.scaling ?? '';
  const first = (c.firstValues ?? []).map((v) => JSON.stringify(v)).join(', ');
  const more = c.vocabularySize > (c.firstValues?.length ?? 0) ? ', …' : '';
  return `one-hot, ${c.vocabularySize} ${c.vocabularySize === 1 ? 'category' : 'categories'}: ${first}${more}`;
}
