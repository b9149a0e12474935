import { quoted } from '@onnx-mlp/core/tabular';
import { OptionError } from '../errors.js';

/** Throws unless every --sensitive column is a column of `file` (whose columns are `columns`): one error naming it and the columns there are. */
export function checkSensitiveColumns(file: string, columns: readonly string[], sensitive: readonly string[]): void {
  const absent = sensitive.find((name) => !columns.includes(name));
  if (absent !== undefined) {
    throw new OptionError(
      'sensitive',
      sensitive,
      `${JSON.stringify(absent)} is not a column of ${file}; the columns are ${quoted(columns)}`,
    );
  }
}

/** Throws when --sensitive names a column twice (the groups would not change, so it is likely a typo). */
export function refuseRepeatedColumns(sensitive: readonly string[]): void {
  const twice = sensitive.find((n, i) => sensitive.indexOf(n) !== i);
  if (twice !== undefined) throw new OptionError('sensitive', sensitive, `names ${JSON.stringify(twice)} twice`);
}
