import { DataType } from '../ir/dtype.js';
import { GraphBuilder } from '../ir/builder.js';
import type { Model, Value } from '../ir/graph.js';
import { attr } from '../ir/graph.js';
import { makeModel } from '../ir/model.js';
import { addGradients } from '../autodiff/gradient.js';
import { InvalidArgumentError } from '../errors.js';
import { emitLogitsGradient } from '../losses/logits-gradient.js';
import { emitTaskLoss, lossName, targetType } from '../losses/task-loss.js';
import { emitLogits } from '../model/forward.js';
import { type ParameterLayout, parameterLayout } from '../model/layout.js';
import { type MlpSpec, layerName } from '../model/spec.js';
import { clipByGlobalNorm } from '../optimizers/clip.js';
import { type OptimizerConfig, optimizerRule } from '../optimizers/index.js';
import { clippedGradients } from '../privacy/per-example-clip.js';
import { type PrivacyStepOptions, validatePrivacyOptions } from '../privacy/privacy-options.js';
import { IO } from './io-names.js';
import { META } from './metadata.js';
import { targetLayout } from './target-layout.js';

/** Options of the train step beyond the spec and optimizer (Keras' compile/fit extras). */
export interface TrainStepOptions {
  /** Rescale all gradients together when their global L2 norm exceeds this. @defaultValue off */
  readonly clipNorm?: number;
  /** Per-class loss weights (multiclass: one per class; binary: [negative, positive]). @defaultValue off */
  readonly classWeights?: readonly number[];
  /** Differentially private steps: per-example clipping, host-fed noise (privacy/). @defaultValue off */
  readonly privacy?: PrivacyStepOptions;
}

/** What one training step is: the network, its optimizer and the extras. */
export interface TrainStepConfig {
  readonly spec: MlpSpec;
  readonly optimizer: OptimizerConfig;
  readonly options: TrainStepOptions;
}

/** The values one training step reads. */
export interface StepInputs {
  readonly x: Value;
  readonly target: Value;
  readonly learningRate: Value;
  readonly step: Value;
  readonly parameters: Value;
  readonly state: ReadonlyMap<string, Value>;
  readonly noise: ReadonlyMap<string, Value>;
  /** With `privacy`: per-row weights [batch] and the noise added to the clipped sum [parameters]. */
  readonly privacy?: { readonly rowWeights: Value; readonly noise: Value };
  /** Names for the updated parameters and state (graph outputs), so no Identity copies them. */
  readonly outputNames?: { readonly parameters: string; readonly state: (slot: string) => string };
}

/** The values one training step produces. */
export interface StepOutputs {
  readonly loss: Value;
  readonly logits: Value;
  readonly parameters: Value;
  readonly state: ReadonlyMap<string, Value>;
  /** With `privacy`: each row's unclipped gradient norm [batch]. */
  readonly perExampleNorms?: Value;
}

/** Hidden layers that take dropout noise, with their widths; none without dropout. */
export function noiseLayers(spec: MlpSpec): Array<{ layer: string; width: number }> {
  if (spec.dropout === 0) return [];
  return spec.hidden.map((width, i) => ({ layer: layerName(i, spec.hidden.length + 1), width }));
}

/**
 * Views the flat parameter vector as the named, shaped parameters: Split, then Reshape of the
 * matrices (a 1-D part, a bias, is already its own shape: no Reshape kernel to run every step).
 */
export function emitUnflatten(b: GraphBuilder, layout: ParameterLayout, flat: Value): Map<string, Value> {
  const vector = (s: ParameterLayout['slots'][number]) => s.dims.length === 1;
  // The views carry the parameters' own names, so a viewer shows `dense1.weight` where it is used.
  const parts = b.ops(
    'Split',
    [
      flat,
      b.constant(
        layout.slots.map((s) => s.size),
        DataType.INT64,
      ),
    ],
    { axis: attr.int(0) },
    { count: layout.slots.length, names: layout.slots.map((s) => (vector(s) ? s.name : undefined)) },
  );
  return new Map(
    layout.slots.map((s, i) => [
      s.name,
      vector(s) ? parts[i]! : b.op('Reshape', [parts[i], b.constant(s.dims, DataType.INT64)], {}, { names: [s.name] }),
    ]),
  );
}

/**
 * Emits one training step into `b`: forward, loss, reverse-mode gradients of the named parameters,
 * their concatenation into one flat gradient, optional clipping, and the optimizer's update of
 * the flat parameters and state. Used by both the one-step model and the epoch Loop's body.
 */
export function emitTrainStep(b: GraphBuilder, config: TrainStepConfig, io: StepInputs): StepOutputs {
  const { spec, optimizer, options } = config;
  const layout = parameterLayout(spec);
  const rule = optimizerRule(optimizer);
  const params = b.scoped('unflatten', () => emitUnflatten(b, layout, io.parameters));
  const logits = emitLogits(b, spec, { x: io.x, params }, { training: true, dropoutNoise: io.noise });
  const loss = emitTaskLoss(b, spec, { logits, target: io.target, classWeights: options.classWeights });
  const dp = options.privacy && io.privacy;
  const clipped = dp
    ? clippedGradients(b, { loss, x: io.x, params, rowWeights: dp.rowWeights, clipNorm: options.privacy!.clipNorm })
    : undefined;
  // The loss's gradient in closed form (softmax - one-hot, ...): far fewer ops than differentiating its nodes.
  const grads =
    clipped?.grads ??
    addGradients(b, loss, [...params.values()], {
      seed: { value: logits, gradient: emitLogitsGradient(b, spec, { logits, target: io.target, classWeights: options.classWeights }) },
    });
  let flatGrad = b.scoped('grad', () =>
    b.op(
      'Concat',
      layout.slots.map((s) =>
        s.dims.length === 1 ? grads.get(s.name)! : b.op('Reshape', [grads.get(s.name)!, b.constant([-1], DataType.INT64)]),
      ),
      { axis: attr.int(0) },
    ),
  );
  if (dp) flatGrad = b.op('Add', [flatGrad, dp.noise], {}, { names: ['noisy_gradient'] });
  if (options.clipNorm !== undefined) flatGrad = clipByGlobalNorm(b, new Map([['all', flatGrad]]), options.clipNorm).get('all')!;
  const slots = Object.fromEntries(rule.slots.map((s) => [s, io.state.get(s)!]));
  const names = io.outputNames && {
    param: io.outputNames.parameters,
    slots: Object.fromEntries(rule.slots.map((s) => [s, io.outputNames!.state(s)])),
  };
  const next = b.scoped('update', () =>
    rule.update({
      b,
      param: io.parameters,
      grad: flatGrad,
      slots,
      learningRate: io.learningRate,
      step: io.step,
      ...(names ? { names } : {}),
    }),
  );
  const state = new Map(Object.entries(next.slots));
  return { loss, logits, parameters: next.param, state, ...(clipped ? { perExampleNorms: clipped.norms } : {}) };
}

/** Metadata that lets any reader of a training-side model map its flat vectors back to names. */
export function trainingMetadata(
  kind: string,
  spec: MlpSpec,
  optimizer: OptimizerConfig | undefined,
  layout: ParameterLayout,
): Record<string, string> {
  return {
    [META.kind]: kind,
    [META.spec]: JSON.stringify(spec),
    ...(optimizer ? { [META.optimizer]: JSON.stringify(optimizer) } : {}),
    [META.parameters]: JSON.stringify(layout.slots),
    [META.weightLayout]: 'in_out',
    [META.target]: JSON.stringify(targetLayout(spec)),
  };
}

function declareData(b: GraphBuilder, spec: MlpSpec): { x: Value; target: Value } {
  const t = targetType(spec);
  return { x: b.input(IO.input, DataType.FLOAT, ['batch', spec.inputs]), target: b.input(IO.target, t.dtype, t.shape) };
}

/**
 * Builds the one-step training model. Inputs: (input, target, learning_rate, step, parameters,
 * optimizer_state.<slot>..., dropout_noise.<layer>...); outputs: (loss, logits,
 * parameters.updated, optimizer_state.<slot>.updated...). Only default-domain opset-17 ops.
 */
export function buildTrainStep(spec: MlpSpec, optimizer: OptimizerConfig, options: TrainStepOptions = {}): Model {
  validateTrainStepOptions(spec, options);
  const layout = parameterLayout(spec);
  const slots = optimizerRule(optimizer).slots;
  const b = new GraphBuilder('train_step');
  const { x, target } = declareData(b, spec);
  const learningRate = b.input(IO.learningRate, DataType.FLOAT, []);
  const step = b.input(IO.step, DataType.FLOAT, []);
  const parameters = b.input(IO.parameters, DataType.FLOAT, [layout.total]);
  const state = new Map(slots.map((s) => [s, b.input(IO.state(s), DataType.FLOAT, [layout.total])]));
  const noise = new Map(
    noiseLayers(spec).map(({ layer, width }) => [layer, b.input(IO.dropoutNoise(layer), DataType.FLOAT, ['batch', width])]),
  );
  const privacy = options.privacy && {
    rowWeights: b.input(IO.rowWeights, DataType.FLOAT, ['batch']),
    noise: b.input(IO.gradientNoise, DataType.FLOAT, [layout.total]),
  };
  const out = emitTrainStep(
    b,
    { spec, optimizer, options },
    {
      x,
      target,
      learningRate,
      step,
      parameters,
      state,
      noise,
      ...(privacy ? { privacy } : {}),
      outputNames: { parameters: IO.updated(IO.parameters), state: (s) => IO.updated(IO.state(s)) },
    },
  );
  b.output(out.loss, IO.loss);
  b.output(out.logits, IO.logits);
  b.output(out.parameters, IO.updated(IO.parameters));
  for (const s of slots) b.output(out.state.get(s)!, IO.updated(IO.state(s)));
  if (out.perExampleNorms) b.output(out.perExampleNorms, IO.perExampleNorms);
  const arch = [spec.inputs, ...spec.hidden, spec.outputs].join('-');
  return makeModel(
    b.build(
      `One ${optimizer.kind} step of ${lossName(spec)} on an MLP ${arch}. Parameters and optimizer state are flat ` +
        `vectors (layout in metadata ${META.parameters}); read them back from the *.updated outputs.`,
    ),
    { metadata: trainingMetadata('training', spec, optimizer, layout), docString: 'onnx-mlp training model' },
  );
}

/** Builds the eval step: (input, target, parameters) to (loss, logits), with dropout off. */
export function buildEvalStep(spec: MlpSpec): Model {
  const layout = parameterLayout(spec);
  const b = new GraphBuilder('eval_step');
  const { x, target } = declareData(b, spec);
  const params = b.scoped('unflatten', () => emitUnflatten(b, layout, b.input(IO.parameters, DataType.FLOAT, [layout.total])));
  const logits = emitLogits(b, spec, { x, params }, { training: false });
  b.output(emitTaskLoss(b, spec, { logits, target }), IO.loss);
  b.output(logits, IO.logits);
  return makeModel(b.build(`Loss (${lossName(spec)}) and logits of the MLP, dropout off.`), {
    metadata: trainingMetadata('eval', spec, undefined, layout),
    docString: 'onnx-mlp eval model',
  });
}

/** Throws InvalidArgumentError naming a bad clipNorm or classWeights. */
export function validateTrainStepOptions(spec: MlpSpec, o: TrainStepOptions): void {
  if (o.privacy) validatePrivacyOptions(o.privacy, o);
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
