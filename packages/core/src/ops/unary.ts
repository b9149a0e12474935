import { defineOp } from './registry.js';
import { numbersOf, sameAs } from './shape-rules.js';

defineOp({
  opType: 'Identity',
  infer: sameAs(),
  gradient: ({ dy: [g] }) => [g],
});

defineOp({
  opType: 'Exp',
  infer: sameAs(),
  gradient: ({ b, outputs: [y], dy: [g] }) => [b.op('Mul', [g, y])],
});

defineOp({
  opType: 'Log',
  infer: sameAs(),
  gradient: ({ b, inputs: [x], dy: [g] }) => [b.op('Div', [g, x])],
});

defineOp({
  opType: 'Sqrt',
  infer: sameAs(),
  gradient: ({ b, outputs: [y], dy: [g] }) => [b.op('Div', [b.op('Mul', [g, b.constant(0.5, y!.dtype)]), y])],
});

defineOp({
  opType: 'Abs',
  infer: sameAs(),
  gradient: ({ b, inputs: [x], dy: [g] }) => [b.op('Mul', [g, b.op('Sign', [x])])],
});

// Sign is flat almost everywhere: it passes no gradient.
defineOp({ opType: 'Sign', infer: sameAs(), gradient: () => [undefined] });

defineOp({
  opType: 'Erf',
  infer: sameAs(),
  // d erf(x)/dx = 2/sqrt(pi) * exp(-x^2)
  gradient: ({ b, inputs: [x], dy: [g] }) => {
    const t = x!.dtype;
    const bell = b.op('Exp', [b.op('Neg', [b.op('Mul', [x, x])])]);
    return [b.op('Mul', [g, b.op('Mul', [bell, b.constant(2 / Math.sqrt(Math.PI), t)])])];
  },
});

defineOp({
  opType: 'Pow',
  infer: sameAs(),
  constantInputs: [1],
  // Only constant exponents are differentiated (all onnx-mlp emits): d x^p = p x^(p-1).
  gradient: ({ b, inputs: [x, p], dy: [g] }) => {
    const data = b.constantData(p!);
    if (data?.data.length !== 1) throw new Error('Pow: gradient needs a constant scalar exponent');
    const e = numbersOf(data)[0]!;
    const t = x!.dtype;
    const slope = b.op('Mul', [b.constant(e, t), b.op('Pow', [x, b.constant(e - 1, t)])]);
    return [b.op('Mul', [g, slope]), undefined];
  },
});
