import type { DataType, TensorArray } from './dtype.js';

/** One dimension: a fixed size, or a symbolic name such as `batch`. */
export type Dim = number | string;
export type Shape = readonly Dim[];

/** A named value flowing through a graph, with its element type and (possibly symbolic) shape. */
export interface Value {
  readonly name: string;
  readonly dtype: DataType;
  readonly shape: Shape;
  /** What the value means, for a reader of the file (Netron shows a graph input's). */
  readonly docString?: string;
}

/** A constant tensor: an initializer, a checkpointed parameter, a Constant's payload. */
export interface TensorData {
  readonly dtype: DataType;
  readonly dims: readonly number[];
  readonly data: TensorArray;
}

/** A node attribute, tagged with its ONNX kind (an ONNX int and float differ even when equal). */
export type Attribute =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'tensor'; readonly value: TensorData }
  | { readonly kind: 'graph'; readonly value: Graph };

export type Attributes = Readonly<Record<string, Attribute>>;

/** Attribute constructors, so call sites read `{ axis: attr.int(1) }`. */
export const attr = {
  int: (value: number): Attribute => ({ kind: 'int', value }),
  float: (value: number): Attribute => ({ kind: 'float', value }),
  string: (value: string): Attribute => ({ kind: 'string', value }),
  ints: (value: readonly number[]): Attribute => ({ kind: 'ints', value }),
  floats: (value: readonly number[]): Attribute => ({ kind: 'floats', value }),
  tensor: (value: TensorData): Attribute => ({ kind: 'tensor', value }),
  graph: (value: Graph): Attribute => ({ kind: 'graph', value }),
};

/** One operator application. Input name '' marks an omitted optional input, as in ONNX. */
export interface Node {
  readonly opType: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Attributes;
  readonly domain?: string;
  readonly docString?: string;
}

/** A computation graph: what ONNX calls a GraphProto. */
export interface Graph {
  readonly name: string;
  readonly inputs: readonly Value[];
  readonly outputs: readonly Value[];
  readonly initializers: ReadonlyMap<string, TensorData>;
  readonly nodes: readonly Node[];
  /** Types of intermediate values, kept so a decoded graph can still be differentiated or printed. */
  readonly valueInfo: readonly Value[];
  readonly docString?: string;
}

/** A whole model file: graph, versions and free-form metadata. */
export interface Model {
  readonly graph: Graph;
  readonly irVersion: number;
  readonly opsetImports: ReadonlyMap<string, number>;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString?: string;
  readonly metadata: ReadonlyMap<string, string>;
}

/** IR version 8 with opset 17: what Debian's python3-onnx 1.12 checker and every ORT since 1.12 accept. */
export const DEFAULT_IR_VERSION = 8;
export const DEFAULT_OPSET = 17;

/** Number of elements of a fully known shape. */
export function sizeOf(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}
