import { DataType } from '../ir/dtype.js';
import { GraphBuilder } from '../ir/builder.js';
import type { Model, Value } from '../ir/graph.js';
import { attr } from '../ir/graph.js';
import { makeModel } from '../ir/model.js';
import { lossName, targetType } from '../losses/task-loss.js';
import { parameterLayout } from '../model/layout.js';
import type { MlpSpec } from '../model/spec.js';
import { type OptimizerConfig, optimizerRule } from '../optimizers/index.js';
import { IO } from './io-names.js';
import { type TrainStepOptions, emitTrainStep, noiseLayers, trainingMetadata } from './train-step.js';

/** The epoch model's inputs, declared on `b` in the order the model lists them. */
function epochInputs(b: GraphBuilder, spec: MlpSpec, slots: readonly string[], total: number, options: TrainStepOptions) {
  const t = targetType(spec);
  return {
    features: b.input(IO.features, DataType.FLOAT, ['rows', spec.inputs]),
    targets: b.input(IO.targets, t.dtype, ['rows', ...t.shape.slice(1)]),
    order: b.input(IO.batchOrder, DataType.INT64, ['steps', 'batch']),
    rates: b.input(IO.learningRates, DataType.FLOAT, ['steps']),
    firstStep: b.input(IO.firstStep, DataType.FLOAT, []),
    parameters: b.input(IO.parameters, DataType.FLOAT, [total]),
    state: slots.map((s) => b.input(IO.state(s), DataType.FLOAT, [total])),
    noise: noiseLayers(spec).map(({ layer, width }) => ({
      layer,
      all: b.input(IO.dropoutNoise(layer), DataType.FLOAT, ['steps', 'batch', width]),
    })),
    privacy: options.privacy && {
      rowWeights: b.input(IO.rowWeights, DataType.FLOAT, ['steps', 'batch']),
      noise: b.input(IO.gradientNoise, DataType.FLOAT, ['steps', total]),
    },
  };
}

/** What the Loop body is built from: the model, the optimizer's slots and the outer graph's inputs. */
interface EpochStepContext {
  readonly spec: MlpSpec;
  readonly optimizer: OptimizerConfig;
  readonly options: TrainStepOptions;
  readonly slots: readonly string[];
  readonly total: number;
  readonly inputs: ReturnType<typeof epochInputs>;
}

/** The Loop body: one train step on the batch whose rows are batch_order[iteration]. */
function buildEpochStep(b: GraphBuilder, c: EpochStepContext): GraphBuilder {
  const { spec, optimizer, options, slots, total } = c;
  const { features, targets, order, rates, firstStep, noise, privacy } = c.inputs;
  const body = new GraphBuilder('epoch_step', { parent: b });
  const i = body.input('iteration', DataType.INT64, []);
  const cond = body.input('condition', DataType.BOOL, []);
  const carriedParams = body.input('parameters_in', DataType.FLOAT, [total]);
  const carriedState = slots.map((s) => body.input(`optimizer_state.${s}_in`, DataType.FLOAT, [total]));
  const out = body.scoped('step', () => {
    const rows = body.op('Gather', [order, i], { axis: attr.int(0) });
    const one = body.constant(1, DataType.INT64);
    const step = body.op('Add', [firstStep, body.op('Cast', [body.op('Add', [i, one])], { to: attr.int(DataType.FLOAT) })]);
    const ofStep = (all: Value) => body.op('Gather', [all, i], { axis: attr.int(0) });
    return emitTrainStep(
      body,
      { spec, optimizer, options },
      {
        x: body.op('Gather', [features, rows], { axis: attr.int(0) }),
        target: body.op('Gather', [targets, rows], { axis: attr.int(0) }),
        learningRate: body.op('Gather', [rates, i], { axis: attr.int(0) }),
        step,
        parameters: carriedParams,
        state: new Map(slots.map((s, k) => [s, carriedState[k]!])),
        noise: new Map(noise.map(({ layer, all }) => [layer, body.op('Gather', [all, i], { axis: attr.int(0) })])),
        ...(privacy ? { privacy: { rowWeights: ofStep(privacy.rowWeights), noise: ofStep(privacy.noise) } } : {}),
        outputNames: { parameters: 'parameters_out', state: (s) => `optimizer_state.${s}_out` },
      },
    );
  });
  body.output(cond, 'condition_out');
  body.output(out.parameters, 'parameters_out');
  slots.forEach((s) => body.output(out.state.get(s)!, `optimizer_state.${s}_out`));
  body.output(out.loss, 'step_loss');
  body.output(out.logits, 'step_logits');
  return body;
}

/**
 * Builds the epoch model: the train step inside an ONNX Loop over mini-batches, so a whole epoch
 * is one `run()`. Inputs: features [rows, in], targets, batch_order [steps, batch] (row indices,
 * shuffled by the host), learning_rates [steps], first_step (updates before this epoch),
 * parameters, optimizer state, dropout noise [steps, batch, width]. Outputs: the updated
 * parameters and state, losses [steps] and batch_logits [steps, batch, outputs].
 */
export function buildTrainEpoch(spec: MlpSpec, optimizer: OptimizerConfig, options: TrainStepOptions = {}): Model {
  const layout = parameterLayout(spec);
  const slots = optimizerRule(optimizer).slots;
  const b = new GraphBuilder('train_epoch');
  const inputs = epochInputs(b, spec, slots, layout.total, options);
  const body = buildEpochStep(b, { spec, optimizer, options, slots, total: layout.total, inputs });

  const trips = b.op('Gather', [b.op('Shape', [inputs.order]), b.constant(0, DataType.INT64)], { axis: attr.int(0) });
  const names = [IO.updated(IO.parameters), ...slots.map((s) => IO.updated(IO.state(s))), IO.losses, IO.batchLogits];
  const results = b.ops(
    'Loop',
    [trips, b.constant(1, DataType.BOOL), inputs.parameters, ...inputs.state],
    { body: attr.graph(body.build()) },
    { count: names.length, names },
  );
  for (const r of results) b.output(r);
  return makeModel(
    b.build(`One epoch of ${optimizer.kind} training of ${lossName(spec)}: the train step in a Loop over batch_order's rows.`),
    { metadata: trainingMetadata('training_epoch', spec, optimizer, layout), docString: 'onnx-mlp training epoch model' },
  );
}
