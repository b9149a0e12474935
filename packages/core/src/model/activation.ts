import type { GraphBuilder } from '../ir/builder.js';
import { attr, type Value } from '../ir/graph.js';
import type { MlpSpec } from './spec.js';

/** Emits the spec's hidden activation on `x`, with standard opset-17 ops only. */
export function emitActivation(b: GraphBuilder, spec: MlpSpec, x: Value): Value {
  switch (spec.activation) {
    case 'relu':
      return b.op('Relu', [x]);
    case 'leaky_relu':
      return b.op('LeakyRelu', [x], { alpha: attr.float(spec.leakyReluAlpha) });
    case 'tanh':
      return b.op('Tanh', [x]);
    case 'sigmoid':
      return b.op('Sigmoid', [x]);
    case 'gelu': {
      // Opset 17 has no Gelu op (it arrives in 20): 0.5 x (1 + erf(x / sqrt 2)).
      const t = x.dtype;
      const erf = b.op('Erf', [b.op('Mul', [x, b.constant(Math.SQRT1_2, t)])]);
      return b.op('Mul', [b.op('Mul', [x, b.constant(0.5, t)]), b.op('Add', [erf, b.constant(1, t)])]);
    }
  }
}
