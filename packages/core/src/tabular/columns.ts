import { DataFormatError } from '../data/errors.js';
import type { Table } from '../data/table.js';
import { DataError } from '../errors.js';
import { TabularOptionError, type TabularSettings } from './settings.js';

/** Names as messages list them: quoted, comma-separated, the first `limit` and a count of the rest. */
export function quoted(names: readonly string[], limit = 20): string {
  const shown = names
    .slice(0, limit)
    .map((n) => JSON.stringify(n))
    .join(', ');
  return names.length > limit ? `${shown}, … (${names.length} in all)` : shown;
}

function columnNames(table: Table): string[] {
  return table.columns.map((c) => c.name);
}

/** A table with no rows, for the column checks of a file whose header is all that is read yet (streaming). */
export function headerTable(file: string, names: readonly string[]): Table {
  return { file, format: 'csv', columns: names.map((name, index) => ({ name, index, cells: [] })), rowCount: 0 };
}

/** The label column(s) of `table` named by `label` (several, comma-separated, when no column has that exact name). */
export function labelColumns(table: Table, label: string): string[] {
  const names = columnNames(table);
  if (names.includes(label)) return [label];
  const parts = label.split(',').map((s) => s.trim());
  if (parts.length > 1) {
    const unknown = parts.find((p) => !names.includes(p));
    if (unknown === undefined && new Set(parts).size === parts.length) return parts;
    if (unknown !== undefined)
      throw new TabularOptionError(
        'label',
        label,
        `${JSON.stringify(unknown)} is not a column of ${table.file}; the columns are ${quoted(names)}`,
      );
    throw new TabularOptionError('label', label, 'names a column twice');
  }
  throw new TabularOptionError('label', label, `not a column of ${table.file}; the columns are ${quoted(names)}`);
}

/** Throws unless every name of `list` (the value of setting `field`) is a column of `table`, once. */
function checkNamed(table: Table, field: string, list: readonly string[]): void {
  const names = columnNames(table);
  for (const name of list) {
    if (!names.includes(name))
      throw new TabularOptionError(
        field,
        list,
        `${JSON.stringify(name)} is not a column of ${table.file}; the columns are ${quoted(names)}`,
      );
  }
  const twice = list.find((n, i) => list.indexOf(n) !== i);
  if (twice !== undefined) throw new TabularOptionError(field, list, `names ${JSON.stringify(twice)} twice`);
}

/** The feature columns, checked against the table: `features` in their order, else every column but the labels and `exclude`. */
export function featureColumns(
  table: Table,
  labels: readonly string[],
  o: Pick<TabularSettings, 'features' | 'exclude' | 'categorical'>,
): string[] {
  let features: string[];
  if (o.features !== null) {
    checkNamed(table, 'features', o.features);
    const label = o.features.find((n) => labels.includes(n));
    if (label !== undefined) throw new TabularOptionError('features', o.features, `${JSON.stringify(label)} is the label column`);
    features = [...o.features];
  } else {
    checkNamed(table, 'exclude', o.exclude);
    features = columnNames(table).filter((n) => !labels.includes(n) && !o.exclude.includes(n));
  }
  if (features.length === 0) {
    throw new DataError(`${table.file}: no feature columns are left besides the label ${quoted(labels)}`, {
      code: 'NO_FEATURE_COLUMNS',
      fields: { file: table.file },
    });
  }
  for (const name of o.categorical) {
    if (!features.includes(name)) {
      throw new TabularOptionError(
        'categorical',
        o.categorical,
        `${JSON.stringify(name)} is not a feature column (the features are ${quoted(features)})`,
      );
    }
  }
  return features;
}

/** A column of the data that the model does not use, and why (the model card lists them). */
export interface ExcludedColumn {
  readonly column: string;
  readonly reason: string;
}

/** The data's columns left out of the features: named in `exclude`, or (with `features`) not among them; labels aside. */
export function excludedColumns(
  names: readonly string[],
  used: { labels: readonly string[]; features: readonly string[] },
  o: Pick<TabularSettings, 'features' | 'exclude'>,
): ExcludedColumn[] {
  return names
    .filter((n) => !used.labels.includes(n) && !used.features.includes(n))
    .map((column) => ({ column, reason: o.features !== null ? 'not among the chosen features' : 'excluded by the user' }));
}

/** A separate validation or test table must have every column training uses (from `data`, the table named). */
export function checkColumns(table: Table, needed: readonly string[], data: string): void {
  const have = new Set(columnNames(table));
  const missing = needed.filter((n) => !have.has(n));
  if (missing.length > 0) {
    throw new DataFormatError(
      { file: table.file },
      `has no column ${quoted(missing)}; it needs the columns training uses from ${data}: ${quoted(needed)}`,
    );
  }
}

/** `data` with the one column of `labels` (a labels-only table) appended as column `name`. */
export function withLabelFile(data: Table, labels: Table, name: string): Table {
  if (labels.columns.length !== 1) {
    throw new DataFormatError({ file: labels.file }, `a labels file holds one value per row; it has ${labels.columns.length} columns`);
  }
  if (labels.rowCount !== data.rowCount) {
    throw new DataFormatError({ file: labels.file }, `has ${labels.rowCount} labels for the ${data.rowCount} rows of ${data.file}`);
  }
  if (data.columns.some((c) => c.name === name)) throw new TabularOptionError('label', name, `is already a column of ${data.file}`);
  return { ...data, columns: [...data.columns, { name, index: data.columns.length, cells: labels.columns[0]!.cells }] };
}
