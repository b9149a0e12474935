import { type AdamConfig, type OptimizerRule, named } from './optimizer.js';

/**
 * Adam with bias correction computed in-graph from the step input:
 * m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
 * Adam adds wd p to the gradient (L2); AdamW instead multiplies p by (1 - lr wd), decoupled
 * from the gradient (Loshchilov & Hutter; PyTorch's AdamW).
 */
export function adamRule(c: AdamConfig): OptimizerRule {
  return {
    slots: ['m', 'v'],
    update: ({ b, param, grad, slots, learningRate, step, names }) => {
      const t = param.dtype;
      const k = (x: number) => b.constant(x, t);
      const decoupled = c.kind === 'adamw';
      const g = !decoupled && c.weightDecay > 0 ? b.op('Add', [grad, b.op('Mul', [param, k(c.weightDecay)])]) : grad;
      const m = b.op('Add', [b.op('Mul', [slots.m, k(c.beta1)]), b.op('Mul', [g, k(1 - c.beta1)])], {}, named(names?.slots.m));
      const v = b.op(
        'Add',
        [b.op('Mul', [slots.v, k(c.beta2)]), b.op('Mul', [b.op('Mul', [g, g]), k(1 - c.beta2)])],
        {},
        named(names?.slots.v),
      );
      // PyTorch's arrangement: the bias corrections fold into two scalars, so each element costs
      // one Sqrt, Add, Div, Mul and Sub: p -= (lr sqrt(c2) / c1) m / (sqrt(v) + eps sqrt(c2)).
      const c1 = b.op('Sub', [k(1), b.op('Pow', [k(c.beta1), step])]);
      const rootC2 = b.op('Sqrt', [b.op('Sub', [k(1), b.op('Pow', [k(c.beta2), step])])]);
      const stepSize = b.op('Div', [b.op('Mul', [learningRate, rootC2]), c1]);
      const epsHat = b.op('Mul', [k(c.epsilon), rootC2]);
      const direction = b.op('Div', [m, b.op('Add', [b.op('Sqrt', [v]), epsHat])]);
      const decayed =
        decoupled && c.weightDecay > 0 ? b.op('Mul', [param, b.op('Sub', [k(1), b.op('Mul', [learningRate, k(c.weightDecay)])])]) : param;
      return { param: b.op('Sub', [decayed, b.op('Mul', [direction, stepSize])], {}, named(names?.param)), slots: { m, v } };
    },
  };
}
