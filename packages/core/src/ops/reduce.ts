import { DataType } from '../ir/dtype.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Value } from '../ir/graph.js';
import { defineOp } from './registry.js';
import { intAttr, intsAttr, normAxis, numbersOf, reducedShape } from './shape-rules.js';

/**
 * Broadcasts a reduction's output gradient back over the reduced axes: re-insert the axes that
 * keepdims=0 dropped, then Expand to the input's runtime shape.
 */
function spread(b: GraphBuilder, g: Value, x: Value, reduction: { readonly axes: readonly number[]; readonly keepdims: boolean }): Value {
  const { axes, keepdims } = reduction;
  const all = axes.length === 0;
  let grad = g;
  if (!keepdims && !all) {
    const sorted = axes.map((a) => normAxis(a, x.shape.length)).sort((p, q) => p - q);
    grad = b.op('Unsqueeze', [grad, b.constant(sorted, DataType.INT64)]);
  }
  return b.op('Expand', [grad, b.op('Shape', [x])], {}, { shape: x.shape });
}

/** Number of elements each output of a reduction averages, as a constant when shapes are known. */
function countOf(b: GraphBuilder, x: Value, y: Value): Value {
  const dims = x.shape.length ? x.shape : [];
  const outDims = y.shape;
  if ([...dims, ...outDims].every((d) => typeof d === 'number')) {
    const n = (dims as number[]).reduce((p, q) => p * q, 1) / (outDims as number[]).reduce((p, q) => p * q, 1);
    return b.constant(n, x.dtype);
  }
  const ratio = b.op('Div', [b.op('Size', [x]), b.op('Size', [y])]);
  return b.op('Cast', [ratio], { to: { kind: 'int', value: x.dtype } });
}

defineOp({
  opType: 'ReduceSum',
  // Opset 13: axes is an optional input; empty means all axes.
  infer: ([x, axes], attrs, constant) => {
    const list = axes?.name ? numbersOf(constant(axes) ?? fail('ReduceSum')) : [];
    return [{ dtype: x!.dtype, shape: reducedShape(x!.shape, list, intAttr(attrs, 'keepdims', 1) === 1) }];
  },
  constantInputs: [1],
  gradient: ({ b, inputs: [x, axes], attrs, dy: [g] }) => {
    const list = axes?.name ? numbersOf(b.constantData(axes)!) : [];
    return [spread(b, g!, x!, { axes: list, keepdims: intAttr(attrs, 'keepdims', 1) === 1 }), undefined];
  },
});

defineOp({
  opType: 'ReduceMean',
  // Up to opset 17 ReduceMean still takes axes as an attribute.
  infer: ([x], attrs) => [
    {
      dtype: x!.dtype,
      shape: reducedShape(x!.shape, intsAttr(attrs, 'axes') ?? [], intAttr(attrs, 'keepdims', 1) === 1),
    },
  ],
  gradient: ({ b, inputs: [x], outputs: [y], attrs, dy: [g] }) => {
    const spreadGrad = spread(b, g!, x!, { axes: intsAttr(attrs, 'axes') ?? [], keepdims: intAttr(attrs, 'keepdims', 1) === 1 });
    return [b.op('Div', [spreadGrad, countOf(b, x!, y!)])];
  },
});

function fail(op: string): never {
  throw new Error(`${op}: axes must be a constant known when the graph is built`);
}
