import { DataType } from '../ir/dtype.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Value } from '../ir/graph.js';
import { defineOp } from './registry.js';
import { intAttr, sameAs } from './shape-rules.js';

function sumAlong(b: GraphBuilder, x: Value, axis: number): Value {
  return b.op('ReduceSum', [x, b.constant([axis], DataType.INT64)], { keepdims: { kind: 'int', value: 1 } });
}

defineOp({
  opType: 'Softmax',
  infer: sameAs(),
  // dx = y * (dy - sum(dy * y)) along the softmax axis.
  gradient: ({ b, outputs: [y], attrs, dy: [g] }) => {
    const axis = intAttr(attrs, 'axis', -1);
    const dot = sumAlong(b, b.op('Mul', [g, y]), axis);
    return [b.op('Mul', [y, b.op('Sub', [g, dot])])];
  },
});

defineOp({
  opType: 'LogSoftmax',
  infer: sameAs(),
  // dx = dy - softmax(x) * sum(dy), with softmax recovered as exp of the forward output.
  gradient: ({ b, outputs: [y], attrs, dy: [g] }) => {
    const axis = intAttr(attrs, 'axis', -1);
    return [b.op('Sub', [g, b.op('Mul', [b.op('Exp', [y]), sumAlong(b, g!, axis)])])];
  },
});
