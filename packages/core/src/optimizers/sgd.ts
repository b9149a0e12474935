import { type OptimizerRule, type SgdConfig, named } from './optimizer.js';

/**
 * SGD as PyTorch defines it: g += wd p; v = mu v + g; step along v (or g + mu v for Nesterov);
 * p -= lr step. Without momentum there is no state.
 */
export function sgdRule(c: SgdConfig): OptimizerRule {
  return {
    slots: c.momentum > 0 ? ['velocity'] : [],
    update: ({ b, param, grad, slots, learningRate, names }) => {
      const t = param.dtype;
      const g = c.weightDecay > 0 ? b.op('Add', [grad, b.op('Mul', [param, b.constant(c.weightDecay, t)])]) : grad;
      if (c.momentum === 0) {
        return { param: b.op('Sub', [param, b.op('Mul', [g, learningRate])], {}, named(names?.param)), slots: {} as Record<string, never> };
      }
      const mu = b.constant(c.momentum, t);
      const velocity = b.op('Add', [b.op('Mul', [slots.velocity, mu]), g], {}, named(names?.slots.velocity));
      const direction = c.nesterov ? b.op('Add', [g, b.op('Mul', [velocity, mu])]) : velocity;
      return { param: b.op('Sub', [param, b.op('Mul', [direction, learningRate])], {}, named(names?.param)), slots: { velocity } };
    },
  };
}
