/** The spellings of a missing value in text data. */
export const MISSING_TOKENS: ReadonlySet<string> = new Set(['', 'NA', 'N/A', 'na', 'null', 'NULL', 'NaN', 'nan']);

/** The values (lower-cased) that make a column boolean when every present value is one of them. */
export const BOOLEAN_TOKENS: ReadonlySet<string> = new Set(['true', 'false', 'yes', 'no']);

// A boolean column also reads 1/0, so whatever inference calls boolean encodes.
const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/** Whether a cell is missing: null, undefined, a NaN number, or text that is a missing token once trimmed. */
export function isMissing(v: unknown): boolean {
  return (
    v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) || (typeof v === 'string' && MISSING_TOKENS.has(v.trim()))
  );
}

/** A boolean cell's value (true/1/yes → 1, false/0/no → 0, any case), or null when it is none of those. */
export function booleanValue(text: string): 0 | 1 | null {
  const t = text.toLowerCase();
  return TRUE.has(t) ? 1 : FALSE.has(t) ? 0 : null;
}
