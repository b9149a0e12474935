import { adamRule } from './adam.js';
import type { OptimizerConfig, OptimizerRule } from './optimizer.js';
import { sgdRule } from './sgd.js';

/** The graph rule of an optimizer configuration. */
export function optimizerRule(config: OptimizerConfig): OptimizerRule {
  return config.kind === 'sgd' ? sgdRule(config) : adamRule(config);
}
export * from './optimizer.js';
