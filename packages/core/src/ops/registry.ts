import type { Attributes, Value } from '../ir/graph.js';
import type { ConstantLookup, OutputType } from '../ir/op-table.js';
import type { GraphBuilder } from '../ir/builder.js';

export type { ConstantLookup, OutputType } from '../ir/op-table.js';

/** What a gradient rule sees: the forward node's values and the gradients arriving at its outputs. */
export interface GradientContext {
  readonly b: GraphBuilder;
  readonly inputs: readonly Value[];
  readonly outputs: readonly Value[];
  readonly attrs: Attributes;
  /** Gradient of the loss with respect to each output; undefined where no gradient reaches it. */
  readonly dy: readonly (Value | undefined)[];
  /** Which inputs need a gradient: a rule may skip the others (such as the data of the first layer). */
  readonly wants: readonly boolean[];
}

/** Emits the gradient of each input; undefined for inputs that get none. */
export type GradientRule = (ctx: GradientContext) => readonly (Value | undefined)[];

/** Everything onnx-mlp knows about one ONNX operator. */
export interface OpDef {
  readonly opType: string;
  /** Output types from input types, attributes and the values of constant inputs (axes, shapes). */
  readonly infer: (inputs: readonly Value[], attrs: Attributes, constant: ConstantLookup) => readonly OutputType[];
  /** Reverse-mode rule; `null` marks an op whose outputs carry no gradient (comparisons, shapes). */
  readonly gradient: GradientRule | null;
  /** The inputs a gradient never flows into (indices, ratios, axes), whatever their type. */
  readonly constantInputs?: readonly number[];
}

const registry = new Map<string, OpDef>();

/** Registers an op; registering the same op twice is a bug and throws. */
export function defineOp(def: OpDef): OpDef {
  if (registry.has(def.opType)) throw new Error(`op ${def.opType} is registered twice`);
  registry.set(def.opType, def);
  return def;
}

/** The definition of `opType`, or a clear error naming the op. */
export function getOp(opType: string): OpDef {
  const def = registry.get(opType);
  if (!def) throw new Error(`op ${opType} is not defined in onnx-mlp's op registry (ops/)`);
  return def;
}

/** All registered op types, for tests that check every op has a tested gradient rule. */
export function registeredOps(): readonly OpDef[] {
  return [...registry.values()];
}
