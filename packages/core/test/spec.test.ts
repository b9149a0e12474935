import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  type Activation,
  InvalidArgumentError,
  type MlpSpec,
  TASKS,
  type Task,
  buildTrainingArtifacts,
  encodeModel,
  mlpSpec,
  optimizerConfig,
} from '@onnx-mlp/core';
import { DataType, GraphBuilder, type TensorData, type Value } from '@onnx-mlp/core/ir';
import { addGradients } from '@onnx-mlp/core/autodiff';
import { Rng, type TensorMap, emitLogits, initParameters, parameterShapes, validateSpec } from '@onnx-mlp/core/model';
import { emitLogitsGradient, emitTaskLoss } from '@onnx-mlp/core/losses';
import { IO, type ParameterLayout, packTensors, unpackTensors } from '@onnx-mlp/core/internal';
import { type CheckInput, checkGradients } from './helpers/gradcheck.js';
import { runSession, sessionOf, tensor } from './helpers/ort.js';

/** The `parameters` feed of a training-side model: every named parameter packed into one flat vector. */
function flatParameters(layout: ParameterLayout, params: TensorMap): TensorData {
  return { dtype: DataType.FLOAT, dims: [layout.total], data: packTensors(layout, params) };
}

/** The named parameters in a `parameters.updated` output (read back as plain numbers). */
function updatedParameters(layout: ParameterLayout, out: Record<string, number[]>): Map<string, number[]> {
  const flat = out[IO.updated(IO.parameters)]!;
  expect(flat.length).toBe(layout.total);
  return new Map([...unpackTensors(layout, Float32Array.from(flat))].map(([n, t]) => [n, Array.from(t.data as Float32Array)]));
}

function invalid(fn: () => unknown): InvalidArgumentError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    return e as InvalidArgumentError;
  }
  throw new Error('expected an InvalidArgumentError, nothing was thrown');
}

describe('mlpSpec / validateSpec reject bad input with a typed error naming the field and value', () => {
  const cases: Array<[string, () => unknown, string, unknown]> = [
    ['hidden [128, 0]', () => mlpSpec({ inputs: 4, hidden: [128, 0], outputs: 3 }), 'hidden[1]', 0],
    ['a negative hidden width', () => mlpSpec({ inputs: 4, hidden: [-8], outputs: 3 }), 'hidden[0]', -8],
    ['a fractional hidden width', () => mlpSpec({ inputs: 4, hidden: [16, 2.5], outputs: 3 }), 'hidden[1]', 2.5],
    ['negative inputs', () => mlpSpec({ inputs: -3, outputs: 3 }), 'inputs', -3],
    ['zero outputs', () => mlpSpec({ inputs: 4, outputs: 0 }), 'outputs', 0],
    ["activation 'swish'", () => mlpSpec({ inputs: 4, outputs: 3, activation: 'swish' as Activation }), 'activation', 'swish'],
    ["task 'ranking'", () => mlpSpec({ inputs: 4, outputs: 3, task: 'ranking' as Task }), 'task', 'ranking'],
    ['dropout 1.0', () => mlpSpec({ inputs: 4, outputs: 3, dropout: 1.0 }), 'dropout', 1],
    ['dropout -0.1', () => mlpSpec({ inputs: 4, outputs: 3, dropout: -0.1 }), 'dropout', -0.1],
    ['multiclass with outputs 1', () => mlpSpec({ inputs: 4, outputs: 1, task: 'multiclass' }), 'outputs', 1],
    ['binary with outputs 2', () => mlpSpec({ inputs: 4, outputs: 2, task: 'binary' }), 'outputs', 2],
    ['leakyReluAlpha -1', () => mlpSpec({ inputs: 4, outputs: 3, leakyReluAlpha: -1 }), 'leakyReluAlpha', -1],
    ["init 'zeros'", () => mlpSpec({ inputs: 4, outputs: 3, init: 'zeros' as MlpSpec['init'] }), 'init', 'zeros'],
  ];
  for (const [name, fn, field, value] of cases) {
    it(name, () => {
      const e = invalid(fn);
      expect(e.field).toBe(field);
      expect(e.value).toBe(value);
      expect(e.message).toContain(field);
      expect(e.message).toContain(JSON.stringify(value));
    });
  }

  it('the unknown activation error lists the allowed ones', () => {
    expect(invalid(() => mlpSpec({ inputs: 4, outputs: 3, activation: 'swish' as Activation })).message).toContain(ACTIVATIONS.join(', '));
  });

  it('validateSpec checks an object that bypassed mlpSpec (JSON from a file)', () => {
    const spec = JSON.parse(
      '{"inputs":4,"hidden":[3,"8"],"outputs":3,"task":"multiclass","activation":"relu",' +
        '"leakyReluAlpha":0.01,"dropout":0,"init":"glorot_uniform"}',
    ) as MlpSpec;
    const e = invalid(() => validateSpec(spec));
    expect([e.field, e.value]).toEqual(['hidden[1]', '8']);
  });

  it('valid specs get their defaults and their parameter shapes', () => {
    const spec = mlpSpec({ inputs: 5, hidden: [4, 3], outputs: 3 });
    expect(spec).toMatchObject({ task: 'multiclass', activation: 'relu', leakyReluAlpha: 0.01, dropout: 0, init: 'glorot_uniform' });
    expect(parameterShapes(spec)).toEqual([
      ['dense1.weight', [5, 4]],
      ['dense1.bias', [4]],
      ['dense2.weight', [4, 3]],
      ['dense2.bias', [3]],
      ['output.weight', [3, 3]],
      ['output.bias', [3]],
    ]);
  });
});

const OUTPUTS: Record<Task, number> = { multiclass: 3, binary: 1, regression: 2 };
const ROWS = 6;
const specFor = (task: Task, activation: Activation) =>
  mlpSpec({ inputs: 5, hidden: [4, 3], outputs: OUTPUTS[task], task, activation, leakyReluAlpha: 0.1 });

function targetsFor(task: Task, rng: Rng): { data: number[]; dims: number[]; dtype: DataType } {
  if (task === 'multiclass') return { data: Array.from({ length: ROWS }, (_, i) => i % 3), dims: [ROWS], dtype: DataType.INT64 };
  if (task === 'binary') return { data: Array.from({ length: ROWS }, (_, i) => (i * 7) % 2), dims: [ROWS, 1], dtype: DataType.FLOAT };
  return { data: Array.from({ length: ROWS * 2 }, () => rng.normal()), dims: [ROWS, 2], dtype: DataType.FLOAT };
}

// emitLogits and the task losses take the float type of the values they are given, so a float64 MLP
// can be built through the public API. ORT CPU has Erf for float32 only, so gelu is checked below.
describe('whole-MLP gradient (emitLogits + task loss, 5-4-3-k) agrees with finite differences in float64', () => {
  for (const task of TASKS) {
    for (const activation of ['relu', 'leaky_relu', 'tanh', 'sigmoid'] as const) {
      it(`${task}, ${activation}`, async () => {
        const spec = specFor(task, activation);
        const t = targetsFor(task, new Rng(3));
        const inputs: Record<string, CheckInput> = {
          x: { dims: [ROWS, 5] },
          target: {
            dims: t.dims,
            data: t.data,
            dtype: t.dtype === DataType.INT64 ? DataType.INT64 : DataType.DOUBLE,
            differentiable: false,
          },
        };
        for (const [name, dims] of parameterShapes(spec)) inputs[name] = { dims };
        const err = await checkGradients({
          inputs,
          build: (b, v) => {
            const params = new Map(parameterShapes(spec).map(([n]) => [n, v[n]!] as [string, Value]));
            return emitTaskLoss(b, spec, { logits: emitLogits(b, spec, { x: v.x!, params }, { training: false }), target: v.target! });
          },
        });
        expect(err).toBeLessThan(1e-6);
      });
    }
  }
});

/** Hidden pre-activations of one row, in float64 (Gemm is x W + b with W [in, out]). */
function hiddenPreactivations(spec: MlpSpec, params: ReadonlyMap<string, TensorData>, row: readonly number[]): number[] {
  const act = (z: number) => (spec.activation === 'relu' ? Math.max(z, 0) : z > 0 ? z : spec.leakyReluAlpha * z);
  const out: number[] = [];
  let h = [...row];
  spec.hidden.forEach((width, l) => {
    const w = params.get(`dense${l + 1}.weight`)!.data as Float32Array;
    const bias = params.get(`dense${l + 1}.bias`)!.data as Float32Array;
    const z = Array.from({ length: width }, (_, j) => h.reduce((s, v, i) => s + v * w[i * width + j]!, bias[j]!));
    out.push(...z);
    h = z.map(act);
  });
  return out;
}

/**
 * ROWS rows of standard-normal features, keeping only rows with |x| <= 3 whose hidden
 * pre-activations are all at least 0.05 from 0. A +-h (1e-2) change of one parameter then moves
 * a first-layer pre-activation by at most 0.03 and a second-layer one by under 0.03 (weights are
 * below 1), so no finite difference straddles the kink of relu or leaky_relu.
 */
function rowsAwayFromKinks(spec: MlpSpec, params: ReadonlyMap<string, TensorData>, rng: Rng): number[] {
  const rows: number[] = [];
  while (rows.length < ROWS * spec.inputs) {
    const row = Array.from({ length: spec.inputs }, () => rng.normal());
    if (row.some((v) => Math.abs(v) > 3)) continue;
    if (hiddenPreactivations(spec, params, row).some((z) => Math.abs(z) < 0.05)) continue;
    rows.push(...row);
  }
  return rows;
}

// Float32, as the artifacts are: the train step with SGD lr = 1 outputs p - g, so p - updated is the
// gradient the training model applied. It must equal addGradients' gradient of the same loss, and
// central differences of the eval model's loss (h = 1e-2): relative error (per tensor,
// ||a - n|| / (||a|| + ||n||)) under 2e-2, the bound float32 rounding and O(h^2) truncation allow.
describe('the train step applies the true gradient (float32, SGD lr 1: p - updated vs finite differences of the eval loss)', () => {
  const H = 1e-2;
  const TOL = 2e-2;
  const worst: Record<string, number> = {};

  for (const task of TASKS) {
    for (const activation of ACTIVATIONS) {
      it(`${task}, ${activation}`, async () => {
        const spec = specFor(task, activation);
        const rng = new Rng(11);
        const params = initParameters(spec, rng);
        // Non-zero biases, so their gradients are taken somewhere less special than 0.
        for (const p of params.values())
          if (p.dims.length === 1)
            p.data.forEach((_, i) => {
              p.data[i] = 0.2 * rng.normal();
            });
        const x = rowsAwayFromKinks(spec, params, rng);
        const t = targetsFor(task, rng);
        const data = { [IO.input]: tensor(x, [ROWS, 5], DataType.FLOAT), [IO.target]: tensor(t.data, t.dims, t.dtype) };
        const artifacts = buildTrainingArtifacts(spec, optimizerConfig('sgd', { learningRate: 1 }));
        const { layout } = artifacts;
        expect(artifacts.slots).toEqual([]);
        expect(layout.slots.map((slot) => slot.name)).toEqual([...params.keys()]);
        // Training-side models take the parameters flat; the direct-gradient graph below takes them by name.
        const namedFeeds = (override?: [string, TensorData]) =>
          Object.fromEntries([...params].map(([n, p]) => [n, override && override[0] === n ? override[1] : p]));
        const paramFeeds = (override?: [string, TensorData]) => ({
          [IO.parameters]: flatParameters(layout, new Map(Object.entries(namedFeeds(override)))),
        });
        const train = await ort.InferenceSession.create(encodeModel(artifacts.trainingModel));
        const evaluate = await ort.InferenceSession.create(encodeModel(artifacts.evalModel));
        const stepOut = await runSession(train, {
          ...data,
          ...paramFeeds(),
          [IO.learningRate]: tensor([1], [], DataType.FLOAT),
          [IO.step]: tensor([1], [], DataType.FLOAT),
        });
        const evalOut = await runSession(evaluate, { ...data, ...paramFeeds() });
        // Dropout is 0, so the training forward pass is the eval one.
        expect(stepOut[IO.loss]![0]).toBe(evalOut[IO.loss]![0]);
        expect(stepOut[IO.logits]).toEqual(evalOut[IO.logits]);

        // The same loss differentiated directly with addGradients (float32), from the closed-form
        // logits gradient as the step does (emitLogitsGradient equals autodiff's through the loss
        // to 1e-12 in float64: logits-gradient.test.ts).
        const b = new GraphBuilder('grads');
        const xv = b.input(IO.input, DataType.FLOAT, ['batch', 5]);
        const tv = b.input(IO.target, t.dtype, t.dims);
        const pv = new Map(parameterShapes(spec).map(([n, dims]) => [n, b.input(n, DataType.FLOAT, dims)] as [string, Value]));
        const logits = emitLogits(b, spec, { x: xv, params: pv }, { training: false });
        const grads = addGradients(b, emitTaskLoss(b, spec, { logits, target: tv }), [...pv.values()], {
          seed: { value: logits, gradient: emitLogitsGradient(b, spec, { logits, target: tv }) },
        });
        for (const n of pv.keys()) b.output(grads.get(n)!, `grad_${n}`);
        const direct = await runSession(await sessionOf(b), { ...data, ...namedFeeds() });
        const updatedByName = updatedParameters(layout, stepOut);

        let specWorst = 0;
        for (const [name, p] of params) {
          const updated = updatedByName.get(name)!;
          const applied = updated.map((u, i) => (p.data[i] as number) - u);
          const g = direct[`grad_${name}`]!;
          // p - (p - g) in float32 is g up to the rounding of p - g.
          applied.forEach((a, i) =>
            expect(Math.abs(a - g[i]!), `${name}[${i}]`).toBeLessThanOrEqual(
              2 ** -23 * Math.max(Math.abs(p.data[i] as number), Math.abs(g[i]!)) * 2,
            ),
          );

          const numeric: number[] = [];
          for (let i = 0; i < p.data.length; i++) {
            const at = async (delta: number) => {
              const d = Float32Array.from(p.data as Float32Array);
              d[i] = d[i]! + delta;
              const out = await runSession(evaluate, { ...data, ...paramFeeds([name, { ...p, data: d }]) });
              return out[IO.loss]![0]!;
            };
            numeric.push(((await at(H)) - (await at(-H))) / (2 * H));
          }
          const diff = Math.hypot(...applied.map((a, i) => a - numeric[i]!));
          const rel = diff / Math.max(Math.hypot(...applied) + Math.hypot(...numeric), 1e-12);
          specWorst = Math.max(specWorst, rel);
          expect(rel, `relative gradient error of ${name}`).toBeLessThan(TOL);
        }
        worst[`${task}/${activation}`] = specWorst;
        await train.release();
        await evaluate.release();
      });
    }
  }

  it('(summary) worst relative errors', () => {
    // Printed for the record; each case asserted its own bound above.
    console.log('float32 train-step gradient vs finite differences, worst per spec:', worst);
    expect(Object.keys(worst).length).toBe(TASKS.length * ACTIVATIONS.length);
  });
});

// With dropout the training graph takes its masks from host-fed uniform noise, so with the noise held
// fixed the train step is a deterministic function of the parameters and its own `loss` output can
// be differentiated numerically. Smooth activations only: masks move relu's kinks around.
describe('with dropout 0.3 and fixed noise, the train step applies the gradient of its own loss (float32)', () => {
  const cases: Array<[Task, Activation]> = [
    ['multiclass', 'tanh'],
    ['binary', 'gelu'],
    ['regression', 'sigmoid'],
  ];
  for (const [task, activation] of cases) {
    it(`${task}, ${activation}`, async () => {
      const spec = mlpSpec({ inputs: 5, hidden: [4, 3], outputs: OUTPUTS[task], task, activation, dropout: 0.3 });
      const rng = new Rng(21);
      const params = initParameters(spec, rng);
      const t = targetsFor(task, rng);
      const artifacts = buildTrainingArtifacts(spec, optimizerConfig('sgd', { learningRate: 1 }));
      const { layout } = artifacts;
      expect(artifacts.noiseInputs).toEqual([
        { layer: 'dense1', width: 4 },
        { layer: 'dense2', width: 3 },
      ]);
      expect(artifacts.noiseInputs.map(({ layer }) => IO.dropoutNoise(layer))).toEqual(['dropout_noise.dense1', 'dropout_noise.dense2']);
      const noise = Object.fromEntries(
        artifacts.noiseInputs.map(({ layer, width }) => [
          IO.dropoutNoise(layer),
          tensor(
            Array.from({ length: ROWS * width }, () => rng.uniform()),
            [ROWS, width],
            DataType.FLOAT,
          ),
        ]),
      );
      const feeds = {
        [IO.input]: tensor(
          Array.from({ length: ROWS * 5 }, () => rng.normal()),
          [ROWS, 5],
          DataType.FLOAT,
        ),
        [IO.target]: tensor(t.data, t.dims, t.dtype),
        [IO.learningRate]: tensor([1], [], DataType.FLOAT),
        [IO.step]: tensor([1], [], DataType.FLOAT),
        ...noise,
      };
      const train = await ort.InferenceSession.create(encodeModel(artifacts.trainingModel));
      const out = await runSession(train, { ...feeds, [IO.parameters]: flatParameters(layout, params) });
      const updatedByName = updatedParameters(layout, out);
      for (const [name, p] of params) {
        const applied = updatedByName.get(name)!.map((u, i) => (p.data[i] as number) - u);
        const numeric: number[] = [];
        for (let i = 0; i < p.data.length; i++) {
          const at = async (delta: number) => {
            const d = Float32Array.from(p.data as Float32Array);
            d[i] = d[i]! + delta;
            const moved = new Map(params).set(name, { ...p, data: d });
            return (await runSession(train, { ...feeds, [IO.parameters]: flatParameters(layout, moved) }))[IO.loss]![0]!;
          };
          numeric.push(((await at(1e-2)) - (await at(-1e-2))) / 2e-2);
        }
        const rel =
          Math.hypot(...applied.map((a, i) => a - numeric[i]!)) / Math.max(Math.hypot(...applied) + Math.hypot(...numeric), 1e-12);
        expect(rel, `relative gradient error of ${name}`).toBeLessThan(2e-2);
      }
      await train.release();
    });
  }

  it('noise of 0.99 (>= 1 - ratio) drops every hidden unit: the loss is that of logits = output.bias, and dense1 gets no gradient', async () => {
    const spec = mlpSpec({ inputs: 5, hidden: [4, 3], outputs: 3, activation: 'tanh', dropout: 0.3 });
    const rng = new Rng(5);
    const params = initParameters(spec, rng);
    const bias = Float32Array.of(0.5, -1, 2);
    params.set('output.bias', { ...params.get('output.bias')!, data: bias });
    const artifacts = buildTrainingArtifacts(spec, optimizerConfig('sgd', { learningRate: 1 }));
    const labels = [0, 1, 2, 2, 1, 0];
    const train = await ort.InferenceSession.create(encodeModel(artifacts.trainingModel));
    const out = await runSession(train, {
      [IO.input]: tensor(
        Array.from({ length: ROWS * 5 }, () => rng.normal()),
        [ROWS, 5],
        DataType.FLOAT,
      ),
      [IO.target]: tensor(labels, [ROWS], DataType.INT64),
      [IO.learningRate]: tensor([1], [], DataType.FLOAT),
      [IO.step]: tensor([1], [], DataType.FLOAT),
      ...Object.fromEntries(
        artifacts.noiseInputs.map(({ layer, width }) => [
          IO.dropoutNoise(layer),
          tensor(new Array(ROWS * width).fill(0.99), [ROWS, width], DataType.FLOAT),
        ]),
      ),
      [IO.parameters]: flatParameters(artifacts.layout, params),
    });
    const z = Array.from(bias);
    const lse = Math.log(z.reduce((a, v) => a + Math.exp(v), 0));
    const expected = labels.reduce((a, y) => a + lse - z[y]!, 0) / ROWS;
    expect(Math.abs(out[IO.loss]![0]! - expected)).toBeLessThan(1e-6);
    expect(updatedParameters(artifacts.layout, out).get('dense1.weight')).toEqual(
      Array.from(params.get('dense1.weight')!.data as Float32Array),
    );
    await train.release();
  });
});
