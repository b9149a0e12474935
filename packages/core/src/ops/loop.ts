import { defineOp } from './registry.js';
import { ShapeError } from './shape-rules.js';

defineOp({
  opType: 'Loop',
  // (M, cond, carried...) -> (carried final..., scan outputs stacked along a new first axis).
  infer: (inputs, attrs) => {
    const body = attrs.body;
    if (body?.kind !== 'graph') throw new ShapeError('Loop: needs a body graph attribute');
    const carried = inputs.length - 2;
    const outs = body.value.outputs.slice(1);
    return outs.map((o, i) => (i < carried ? { dtype: o.dtype, shape: o.shape } : { dtype: o.dtype, shape: ['iterations', ...o.shape] }));
  },
  // Training differentiates the step inside the body; nothing differentiates through a Loop.
  gradient: null,
});
