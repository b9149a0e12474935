import { InvalidArgumentError } from '../errors.js';

/** Hidden-layer activations. `gelu` is the exact erf form. */
export const ACTIVATIONS = ['relu', 'leaky_relu', 'tanh', 'sigmoid', 'gelu'] as const;
/** A hidden-layer activation, one of ACTIVATIONS. */
export type Activation = (typeof ACTIVATIONS)[number];

/** What the network predicts: one of C classes (softmax), yes/no (sigmoid), or real values. */
export const TASKS = ['multiclass', 'binary', 'regression'] as const;
/** A task, one of TASKS. */
export type Task = (typeof TASKS)[number];

/** Weight initialisers: Glorot (Xavier) for tanh/sigmoid-like nets, He (Kaiming) for ReLU nets. */
export const INITIALIZERS = ['glorot_uniform', 'glorot_normal', 'he_uniform', 'he_normal'] as const;
/** A weight initialiser, one of INITIALIZERS. */
export type WeightInit = (typeof INITIALIZERS)[number];

/** The architecture of a multi-layer perceptron. */
export interface MlpSpec {
  /** Width of the input feature vector. */
  readonly inputs: number;
  /** Widths of the hidden layers, input side first. */
  readonly hidden: readonly number[];
  /** Number of classes (multiclass), 1 (binary), or number of targets (regression). */
  readonly outputs: number;
  readonly task: Task;
  /** @defaultValue 'relu' */
  readonly activation: Activation;
  /** Negative slope of leaky_relu. @defaultValue 0.01 */
  readonly leakyReluAlpha: number;
  /** Fraction of each hidden layer's units dropped while training. @defaultValue 0 */
  readonly dropout: number;
  /** @defaultValue 'glorot_uniform' */
  readonly init: WeightInit;
}

/** An MlpSpec with its defaults filled in. */
export function mlpSpec(partial: Partial<MlpSpec> & Pick<MlpSpec, 'inputs' | 'outputs'>): MlpSpec {
  const spec: MlpSpec = {
    hidden: [],
    task: 'multiclass',
    activation: 'relu',
    leakyReluAlpha: 0.01,
    dropout: 0,
    init: 'glorot_uniform',
    // An explicit `undefined` means "not given": it must not replace the default.
    ...(Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as typeof partial),
  };
  validateSpec(spec);
  return spec;
}

function positiveInt(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError(field, value, 'must be a positive integer');
  }
}

function oneOf(field: string, value: unknown, allowed: readonly string[]): void {
  if (!allowed.includes(value as string)) {
    throw new InvalidArgumentError(field, value, `must be one of ${allowed.join(', ')}`);
  }
}

/** Throws InvalidArgumentError naming the first field that is out of range. */
export function validateSpec(spec: MlpSpec): void {
  positiveInt('inputs', spec.inputs);
  positiveInt('outputs', spec.outputs);
  if (!Array.isArray(spec.hidden)) throw new InvalidArgumentError('hidden', spec.hidden, 'must be a list of widths');
  spec.hidden.forEach((w, i) => positiveInt(`hidden[${i}]`, w));
  oneOf('task', spec.task, TASKS);
  oneOf('activation', spec.activation, ACTIVATIONS);
  oneOf('init', spec.init, INITIALIZERS);
  if (typeof spec.dropout !== 'number' || !(spec.dropout >= 0 && spec.dropout < 1)) {
    throw new InvalidArgumentError('dropout', spec.dropout, 'must be a number in [0, 1)');
  }
  if (typeof spec.leakyReluAlpha !== 'number' || !Number.isFinite(spec.leakyReluAlpha) || spec.leakyReluAlpha < 0) {
    throw new InvalidArgumentError('leakyReluAlpha', spec.leakyReluAlpha, 'must be a finite number >= 0');
  }
  if (spec.task === 'multiclass' && spec.outputs < 2) {
    throw new InvalidArgumentError('outputs', spec.outputs, 'a multiclass model needs at least 2 classes');
  }
  if (spec.task === 'binary' && spec.outputs !== 1) {
    throw new InvalidArgumentError('outputs', spec.outputs, 'a binary model has exactly 1 output (the logit)');
  }
}

/** The (fan-in, fan-out) of every dense layer, input side first, output layer last. */
export function layerShapes(spec: MlpSpec): Array<[number, number]> {
  const widths = [spec.inputs, ...spec.hidden, spec.outputs];
  return widths.slice(0, -1).map((w, i) => [w, widths[i + 1]!]);
}

/** Parameter names of layer `i` of `count`: `dense1.weight` ... and `output.weight` for the last. */
export function layerName(i: number, count: number): string {
  return i === count - 1 ? 'output' : `dense${i + 1}`;
}
