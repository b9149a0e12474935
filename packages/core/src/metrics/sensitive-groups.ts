import { isMissing } from '../preprocess/tokens.js';

/** The sensitive columns of some rows: their names, and each column's value per row as text (null: missing). */
export interface SensitiveValues {
  readonly columns: readonly string[];
  /** values[column][row]; a missing token ("", "NA", ...) counts as null, surrounding spaces do not count. */
  readonly values: readonly (readonly (string | null)[])[];
}

/** One group: the rows that share their value in every sensitive column (Fairlearn's MetricFrame groups). */
export interface GroupKey {
  /** The group's value in each sensitive column, in column order; null for a missing value. */
  readonly values: readonly (string | null)[];
  /** Rows in the group. */
  readonly size: number;
}

/** Rows grouped by their sensitive values. */
export interface RowGroups {
  /** The groups, ordered by their values (missing first, then by code unit), so reports are deterministic. */
  readonly groups: readonly GroupKey[];
  /** Each row's index in `groups`. */
  readonly rowGroup: Int32Array;
}

/** How a missing sensitive value is named: a group of its own. */
export const MISSING_GROUP_VALUE = '(missing)';

/** A group's name in tables and messages: its values joined by ", ", a missing value as "(missing)". */
export function groupName(values: readonly (string | null)[]): string {
  return values.map((v) => v ?? MISSING_GROUP_VALUE).join(', ');
}

function compareValues(a: readonly (string | null)[], b: readonly (string | null)[]): number {
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Groups `rows` rows by the combination of their values in every sensitive column (intersectional groups). */
export function groupRows(s: SensitiveValues, rows: number): RowGroups {
  const byKey = new Map<string, { values: (string | null)[]; rows: number[] }>();
  for (let r = 0; r < rows; r++) {
    const values = s.values.map((column) => {
      const v = column[r] ?? null;
      return v === null || isMissing(v) ? null : v.trim();
    });
    // JSON keeps null and "null" apart, and values containing separators apart.
    const key = JSON.stringify(values);
    let group = byKey.get(key);
    if (group === undefined) {
      group = { values, rows: [] };
      byKey.set(key, group);
    }
    group.rows.push(r);
  }
  const sorted = [...byKey.values()].sort((a, b) => compareValues(a.values, b.values));
  const rowGroup = new Int32Array(rows);
  sorted.forEach((g, i) => {
    for (const r of g.rows) rowGroup[r] = i;
  });
  return { groups: sorted.map((g) => ({ values: g.values, size: g.rows.length })), rowGroup };
}
