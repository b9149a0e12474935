import type { Preprocessing } from '../preprocess/schema.js';
import type { Dataset } from '../training/dataset.js';
import type { Task } from '../model/spec.js';
import type { ExcludedColumn } from './columns.js';
import { scaleTargets, type TargetScaling } from '../preprocess/target-scaling.js';

/** One split's rows as model.onnx takes them: one raw value per feature column (core's encodeRecord). */
export interface RawSplit {
  /** The table the rows came from. */
  readonly file: string;
  readonly raw: Dataset;
  /** The text cells of the columns asked to be carried (PrepareTablesOptions.carry), by column, in row order. */
  readonly carried?: Readonly<Record<string, readonly (string | null)[]>>;
}

/** One split: the rows as model.onnx takes them (raw) and as the MLP sees them (features). */
export interface TabularSplit extends RawSplit {
  /** `raw` through the preprocessing graph: what the training graphs take (regression targets standardised by `targetScaling`). */
  readonly features: Dataset;
}

/** The preprocessing graph in some ONNX Runtime: raw rows in, the MLP's features out. */
export interface FeatureGraph {
  /** Features per row. */
  readonly width: number;
  /** The features [rows, width] of raw rows [rows, columns]. */
  run(raw: Float32Array): Promise<Float32Array>;
}

/** What a table's rows make of the settings: the task, labels and classes, and the fitted preprocessing. */
export interface TabularShape {
  readonly task: Task;
  /** The label column(s). */
  readonly labels: readonly string[];
  /** Class names in output order (classifiers), else null. */
  readonly classNames: readonly string[] | null;
  /** Width of the MLP's output layer. */
  readonly outputs: number;
  /** The preprocessing fitted on the train split: the raw columns in input order, with their kinds and statistics. */
  readonly preprocessing: Preprocessing;
  /** Regression: the targets' standardisation fitted on the train split (model.onnx undoes it); null for classifiers. */
  readonly targetScaling: TargetScaling | null;
  /** Rows left out because their label was missing (dropMissingLabel); 0 otherwise. */
  readonly droppedRows: number;
  /** The data's columns the model does not use, and why. */
  readonly excluded: readonly ExcludedColumn[];
  /** One line saying where the rows came from and how they were split. */
  readonly description: string;
  /** Things worth knowing that are not errors (a column that looks like an identifier). */
  readonly notices: readonly string[];
}

/** A table's splits as raw model input, before the preprocessing graph has run. */
export interface PreparedTables extends TabularShape {
  readonly train: RawSplit;
  /** Null when no validation rows were asked for. */
  readonly validation: RawSplit | null;
  readonly test: RawSplit;
}

/** A tabular data set ready to train on. */
export interface TabularData extends TabularShape {
  readonly train: TabularSplit;
  /** Null when no validation rows were asked for. */
  readonly validation: TabularSplit | null;
  readonly test: TabularSplit;
}

/**
 * Every split of `prepared` through `graph` (the preprocessing graph in the caller's runtime), in
 * order train, validation, test; `features` of a regression carry standardised targets, `raw` the label's.
 */
export async function withFeatures(prepared: PreparedTables, graph: FeatureGraph): Promise<TabularData> {
  const ts = prepared.targetScaling;
  const make = async (split: RawSplit): Promise<TabularSplit> => {
    const { raw } = split;
    const features = await graph.run(raw.features);
    const targets = ts ? scaleTargets(raw.targets, ts) : raw.targets;
    return { ...split, features: { features, rows: raw.rows, cols: graph.width, targets } };
  };
  const train = await make(prepared.train);
  const validation = prepared.validation ? await make(prepared.validation) : null;
  const test = await make(prepared.test);
  return { ...prepared, train, validation, test };
}
