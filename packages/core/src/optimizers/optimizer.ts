import type { GraphBuilder } from '../ir/builder.js';
import type { Value } from '../ir/graph.js';
import { InvalidArgumentError } from '../errors.js';

/** SGD with optional momentum (heavy-ball or Nesterov) and L2 weight decay, PyTorch's formulation. */
export interface SgdConfig {
  readonly kind: 'sgd';
  /** @defaultValue 0.01 */
  readonly learningRate: number;
  /** @defaultValue 0 */
  readonly momentum: number;
  /** @defaultValue false */
  readonly nesterov: boolean;
  /** L2 penalty added to the gradient. @defaultValue 0 */
  readonly weightDecay: number;
}

/** Adam, or AdamW when `kind` is 'adamw' (weight decay decoupled from the gradient). */
export interface AdamConfig {
  readonly kind: 'adam' | 'adamw';
  /** @defaultValue 0.001 */
  readonly learningRate: number;
  /** @defaultValue 0.9 */
  readonly beta1: number;
  /** @defaultValue 0.999 */
  readonly beta2: number;
  /** @defaultValue 1e-7 (Keras and TF.js; PyTorch uses 1e-8) */
  readonly epsilon: number;
  /** Adam: L2 added to the gradient; AdamW: decoupled decay. @defaultValue 0 (adam), 0.01 (adamw) */
  readonly weightDecay: number;
}

/** An optimizer and its hyper-parameters, as `optimizerConfig` makes it. */
export type OptimizerConfig = SgdConfig | AdamConfig;
/** The optimizers `optimizerConfig` knows: SGD, Adam and AdamW. */
export const OPTIMIZERS = ['sgd', 'adam', 'adamw'] as const;

/** The graph inputs one parameter's update reads. */
export interface UpdateInputs {
  readonly b: GraphBuilder;
  readonly param: Value;
  readonly grad: Value;
  /** Current optimizer state of this parameter, by slot name. */
  readonly slots: Readonly<Record<string, Value>>;
  /** Scalar float inputs: this step's learning rate, and the 1-based update count. */
  readonly learningRate: Value;
  readonly step: Value;
  /** Names for the new parameter and slot values, so graph outputs need no copying Identity. */
  readonly names?: { readonly param: string; readonly slots: Readonly<Record<string, string>> };
}

/** Node options that give an update's result the requested name, if any. */
export function named(name: string | undefined): { names?: string[] } {
  return name ? { names: [name] } : {};
}

/** An optimizer as graph: the state slots it keeps per parameter and the update it emits. */
export interface OptimizerRule {
  readonly slots: readonly string[];
  readonly update: (u: UpdateInputs) => { param: Value; slots: Record<string, Value> };
}

/** An OptimizerConfig with defaults filled in and every field checked. */
export function optimizerConfig(kind: string, options: Partial<Omit<SgdConfig, 'kind'> & Omit<AdamConfig, 'kind'>> = {}): OptimizerConfig {
  let config: OptimizerConfig;
  if (kind === 'sgd') {
    config = {
      kind,
      learningRate: 0.01,
      momentum: 0,
      nesterov: false,
      weightDecay: 0,
      ...pick(options, ['learningRate', 'momentum', 'nesterov', 'weightDecay']),
    };
  } else if (kind === 'adam' || kind === 'adamw') {
    config = {
      kind,
      learningRate: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      weightDecay: kind === 'adamw' ? 0.01 : 0,
      ...pick(options, ['learningRate', 'beta1', 'beta2', 'epsilon', 'weightDecay']),
    };
  } else {
    throw new InvalidArgumentError('optimizer', kind, `must be one of ${OPTIMIZERS.join(', ')}`);
  }
  validateOptimizer(config);
  return config;
}

function pick<T extends object>(o: T, keys: readonly string[]): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => keys.includes(k) && v !== undefined)) as Partial<T>;
}

function check(field: string, value: number, ok: boolean, reason: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok) throw new InvalidArgumentError(field, value, reason);
}

/** Throws InvalidArgumentError naming the first out-of-range field. */
export function validateOptimizer(c: OptimizerConfig): void {
  check('learningRate', c.learningRate, c.learningRate > 0, 'must be a positive number');
  check('weightDecay', c.weightDecay, c.weightDecay >= 0, 'must be >= 0');
  if (c.kind === 'sgd') {
    check('momentum', c.momentum, c.momentum >= 0 && c.momentum < 1, 'must be in [0, 1)');
    if (c.nesterov && c.momentum === 0) throw new InvalidArgumentError('nesterov', true, 'needs momentum > 0');
  } else {
    check('beta1', c.beta1, c.beta1 >= 0 && c.beta1 < 1, 'must be in [0, 1)');
    check('beta2', c.beta2, c.beta2 >= 0 && c.beta2 < 1, 'must be in [0, 1)');
    check('epsilon', c.epsilon, c.epsilon > 0, 'must be a positive number');
  }
}
