import { DataType } from '../ir/dtype.js';
import { GraphBuilder } from '../ir/builder.js';
import type { Model, Value } from '../ir/graph.js';
import { makeModel } from '../ir/model.js';
import { addGradients } from '../autodiff/gradient.js';
import { emitTaskLoss, lossName, targetType } from '../losses/task-loss.js';
import { emitLogits } from '../model/forward.js';
import { parameterShapes } from '../model/parameters.js';
import { MlpSpec, layerName } from '../model/spec.js';
import { InvalidArgumentError } from '../errors.js';
import { clipByGlobalNorm } from '../optimizers/clip.js';
import { OptimizerConfig, optimizerRule } from '../optimizers/index.js';
import { META } from './metadata.js';

/** The graph inputs and outputs every training-side model shares. */
export const IO = {
  input: 'input',
  target: 'target',
  learningRate: 'learning_rate',
  step: 'step',
  loss: 'loss',
  logits: 'logits',
  /** Dropout noise input of hidden layer `layer`. */
  dropoutNoise: (layer: string) => `dropout_noise.${layer}`,
  /** Output carrying the new value of parameter or state `name`. */
  updated: (name: string) => `${name}.updated`,
} as const;

/** The files a training run is made of, in memory. */
export interface TrainingArtifacts {
  readonly spec: MlpSpec;
  readonly optimizer: OptimizerConfig;
  /** `training_model.onnx`: forward, loss, backward and optimizer update in one graph. */
  readonly trainingModel: Model;
  /** `eval_model.onnx`: loss and logits, dropout off. */
  readonly evalModel: Model;
  /** Parameter names in graph order (`dense1.weight`, `dense1.bias`, ...). */
  readonly parameterNames: readonly string[];
  /** Optimizer state names in graph order (`dense1.weight.m`, ...). */
  readonly stateNames: readonly string[];
  /** Dropout noise inputs the host must feed each step (uniform [0, 1), [batch, width]); empty without dropout. */
  readonly noiseInputs: readonly { readonly name: string; readonly width: number }[];
}

/** Options of the train step beyond the spec and optimizer (Keras' compile/fit extras). */
export interface TrainStepOptions {
  /** Rescale all gradients together when their global L2 norm exceeds this. @defaultValue off */
  readonly clipNorm?: number;
  /** Per-class loss weights (multiclass: one per class; binary: [negative, positive]). @defaultValue off */
  readonly classWeights?: readonly number[];
}

function declareParameters(b: GraphBuilder, spec: MlpSpec): Map<string, Value> {
  return new Map(parameterShapes(spec).map(([name, dims]) => [name, b.input(name, DataType.FLOAT, dims)]));
}

function declareData(b: GraphBuilder, spec: MlpSpec): { x: Value; target: Value } {
  const t = targetType(spec);
  return {
    x: b.input(IO.input, DataType.FLOAT, ['batch', spec.inputs]),
    target: b.input(IO.target, t.dtype, t.shape),
  };
}

/**
 * Builds the train step: inputs (input, target, learning_rate, step, parameters, optimizer state),
 * outputs (loss, logits, every parameter and state as `<name>.updated`). Gradients come from
 * `addGradients`, the update from the optimizer's rule; only default-domain opset-17 ops.
 */
export function buildTrainStep(spec: MlpSpec, optimizer: OptimizerConfig, options: TrainStepOptions = {}): TrainingArtifacts {
  validateTrainStepOptions(spec, options);
  const rule = optimizerRule(optimizer);
  const b = new GraphBuilder('train_step');
  const { x, target } = declareData(b, spec);
  const learningRate = b.input(IO.learningRate, DataType.FLOAT, []);
  const step = b.input(IO.step, DataType.FLOAT, []);
  const params = declareParameters(b, spec);
  const stateNames = rule.slots.flatMap((slot) => [...params.keys()].map((p) => `${p}.${slot}`));
  const state = new Map(stateNames.map((n) => [n, b.input(n, DataType.FLOAT, params.get(n.slice(0, n.lastIndexOf('.')))!.shape)]));

  const noiseInputs = spec.dropout > 0
    ? spec.hidden.map((width, i) => ({ layer: layerName(i, spec.hidden.length + 1), width }))
    : [];
  const dropoutNoise = new Map(noiseInputs.map(({ layer, width }) =>
    [layer, b.input(IO.dropoutNoise(layer), DataType.FLOAT, ['batch', width])]));

  const logits = emitLogits(b, spec, x, params, { training: true, dropoutNoise });
  const loss = emitTaskLoss(b, spec, logits, target, options.classWeights);
  b.output(loss, IO.loss);
  b.output(logits, IO.logits);
  let grads = addGradients(b, loss, [...params.values()]);
  if (options.clipNorm !== undefined) grads = clipByGlobalNorm(b, grads, options.clipNorm);

  const updatedState = new Map<string, Value>();
  for (const [name, param] of params) {
    b.scoped(`update/${name}`, () => {
      const slots = Object.fromEntries(rule.slots.map((s) => [s, state.get(`${name}.${s}`)!]));
      const next = rule.update({ b, param, grad: grads.get(name)!, slots, learningRate, step });
      b.output(next.param, IO.updated(name));
      for (const [slot, v] of Object.entries(next.slots)) updatedState.set(`${name}.${slot}`, v);
    });
  }
  for (const n of stateNames) b.output(updatedState.get(n)!, IO.updated(n));

  const meta = {
    [META.kind]: 'training',
    [META.spec]: JSON.stringify(spec),
    [META.optimizer]: JSON.stringify(optimizer),
    [META.parameters]: JSON.stringify([...params.keys()]),
    [META.optimizerState]: JSON.stringify(stateNames),
  };
  const trainingModel = makeModel(b.build(
    `One ${optimizer.kind} step of ${lossName(spec)} on an MLP ${[spec.inputs, ...spec.hidden, spec.outputs].join('-')}: ` +
    `feed the parameters and optimizer state, read them back as <name>.updated.`,
  ), { metadata: meta, docString: 'onnx-mlp training model' });
  return {
    spec,
    optimizer,
    trainingModel,
    evalModel: buildEvalStep(spec),
    parameterNames: [...params.keys()],
    stateNames,
    noiseInputs: noiseInputs.map(({ layer, width }) => ({ name: IO.dropoutNoise(layer), width })),
  };
}

/** Builds the eval step: (input, target, parameters) to (loss, logits), with dropout off. */
export function buildEvalStep(spec: MlpSpec): Model {
  const b = new GraphBuilder('eval_step');
  const { x, target } = declareData(b, spec);
  const params = declareParameters(b, spec);
  const logits = emitLogits(b, spec, x, params, { training: false });
  b.output(emitTaskLoss(b, spec, logits, target), IO.loss);
  b.output(logits, IO.logits);
  return makeModel(b.build(`Loss (${lossName(spec)}) and logits of the MLP, dropout off.`), {
    metadata: { [META.kind]: 'eval', [META.spec]: JSON.stringify(spec), [META.parameters]: JSON.stringify([...params.keys()]) },
    docString: 'onnx-mlp eval model',
  });
}

function validateTrainStepOptions(spec: MlpSpec, o: TrainStepOptions): void {
  if (o.clipNorm !== undefined && !(Number.isFinite(o.clipNorm) && o.clipNorm > 0)) {
    throw new InvalidArgumentError('clipNorm', o.clipNorm, 'must be a positive number');
  }
  if (o.classWeights === undefined) return;
  const expected = spec.task === 'multiclass' ? spec.outputs : spec.task === 'binary' ? 2 : 0;
  if (expected === 0) throw new InvalidArgumentError('classWeights', o.classWeights, 'apply to classification tasks only');
  if (o.classWeights.length !== expected || o.classWeights.some((w) => !(Number.isFinite(w) && w >= 0))) {
    throw new InvalidArgumentError('classWeights', o.classWeights, `must be ${expected} finite non-negative numbers, one per class`);
  }
}
