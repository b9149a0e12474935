import type { DataType } from './dtype.js';
import type { Attributes, Shape, TensorData, Value } from './graph.js';

/** The data of a value known when the graph is built (an initializer), if any. */
export type ConstantLookup = (value: Value) => TensorData | undefined;

/** The type of one output of a node, as an op's shape rule infers it. */
export interface OutputType {
  readonly dtype: DataType;
  readonly shape: Shape;
}

/** What the builder needs to know of an op: the types of its outputs. */
export interface OpTyping {
  /** Output types from input types, attributes and the values of constant inputs (axes, shapes). */
  readonly infer: (inputs: readonly Value[], attrs: Attributes, constant: ConstantLookup) => readonly OutputType[];
}

/**
 * The typing rule of `opType`; throws for an op it does not know. The IR knows no op itself: the
 * op registry (ops/) installs itself as the default table, or a builder is given one.
 */
export type OpTable = (opType: string) => OpTyping;

let installed: OpTable | undefined;

/** Makes `table` the op table of every builder not given one (ops/ installs its registry when loaded). */
export function installOpTable(table: OpTable): void {
  installed = table;
}

/** The installed op table; throws when none is (the ops were never loaded). */
export function installedOpTable(): OpTable {
  if (!installed)
    throw new Error('no op table installed: import @onnx-mlp/core (which loads its ops) or give the GraphBuilder an `ops` table');
  return installed;
}
