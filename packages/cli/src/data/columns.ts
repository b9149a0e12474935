import type { Table } from '@onnx-mlp/core';
import {
  featureColumns as coreFeatureColumns,
  labelColumns as coreLabelColumns,
  quoted,
  withLabelFile as coreWithLabelFile,
} from '@onnx-mlp/core/tabular';
import { UserError } from '../errors.js';
import { cliTabular } from './cli-tabular.js';
import type { TabularOptions } from './tabular-options.js';

export { checkColumns, headerTable, quoted } from '@onnx-mlp/core/tabular';

/** The label column(s) of `table` named by --label. */
export function labelColumns(table: Table, label: string | null): string[] {
  if (label === null) {
    throw new UserError(
      `--label is required with --data: name the column to predict (${table.file} has the columns ${quoted(table.columns.map((c) => c.name))})`,
    );
  }
  return cliTabular(() => coreLabelColumns(table, label));
}

/** The feature columns, checked against the file: --features in their order, else every column but the labels and --exclude. */
export function featureColumns(table: Table, labels: readonly string[], o: TabularOptions): string[] {
  return cliTabular(() => coreFeatureColumns(table, labels, o));
}

/** `data` with the one column of `labels` (a labels-only file) appended as column `name`. */
export function withLabelFile(data: Table, labels: Table, name: string): Table {
  return cliTabular(() => coreWithLabelFile(data, labels, name));
}
