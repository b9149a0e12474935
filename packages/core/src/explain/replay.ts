import type { GraphBuilder } from '../ir/builder.js';
import type { Graph, Node, Value } from '../ir/graph.js';
import { ExplainError } from './explain-error.js';

/** The original value names a replay maps to the values it emitted. */
export type Bindings = Map<string, Value>;

/** Declares every initializer of `graph` in `b` under its own name, once, before anything is replayed. */
export function declareInitializers(b: GraphBuilder, graph: Graph): Bindings {
  const bound: Bindings = new Map();
  for (const [name, tensor] of graph.initializers) bound.set(name, b.initializer(name, tensor));
  return bound;
}

/** The nodes that `targets` depend on, in graph order (ancestors only: a replay emits nothing else). */
export function ancestorsOf(graph: Graph, targets: readonly string[]): Node[] {
  const producer = new Map<string, Node>();
  for (const node of graph.nodes) for (const out of node.outputs) producer.set(out, node);
  const needed = new Set<Node>();
  const stack = [...targets];
  while (stack.length > 0) {
    const node = producer.get(stack.pop()!);
    if (!node || needed.has(node)) continue;
    needed.add(node);
    stack.push(...node.inputs.filter(Boolean));
  }
  return graph.nodes.filter((n) => needed.has(n));
}

/** What one replay of a decoded graph starts from. */
export interface ReplayOptions {
  /** The nodes to replay, in graph order. */
  readonly nodes: readonly Node[];
  /** Original names bound to values of `b`: the initializers and whatever stands in for an input. */
  readonly bound: Bindings;
  /** Name scope of the emitted nodes (`at_input`, `path`). */
  readonly scope: string;
}

/**
 * Emits the nodes of a decoded graph again into `b`, like inlining a function: each node whose
 * inputs are all bound is re-emitted with fresh names, and its outputs become bound. A node that
 * reads an unbound value (upstream of the values a replay starts from) is skipped. Returns the
 * bindings after the replay.
 */
export function replayNodes(b: GraphBuilder, options: ReplayOptions): Bindings {
  const bound: Bindings = new Map(options.bound);
  b.scoped(options.scope, () => {
    for (const node of options.nodes) {
      if (node.outputs.every((o) => bound.has(o))) continue;
      if (!node.inputs.every((name) => name === '' || bound.has(name))) continue;
      const outputs = emitNode(b, node, bound);
      node.outputs.forEach((name, i) => {
        if (name !== '' && outputs[i]) bound.set(name, outputs[i]!);
      });
    }
  });
  return bound;
}

function emitNode(b: GraphBuilder, node: Node, bound: Bindings): Value[] {
  try {
    return b.ops(
      node.opType,
      node.inputs.map((name) => (name === '' ? undefined : bound.get(name))),
      node.attributes,
      { count: node.outputs.length },
    );
  } catch (e) {
    throw new ExplainError(`op ${node.opType} (node ${node.name || '(unnamed)'}) cannot be explained: ${(e as Error).message}`, {
      op: node.opType,
      node: node.name,
    });
  }
}
