import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, type OptimizerConfig, optimizerConfig } from '@onnx-mlp/core';
import { DataType, GraphBuilder } from '@onnx-mlp/core/ir';
import { optimizerRule } from '@onnx-mlp/core/optimizers';
import { runSession, sessionOf, tensor } from './helpers/ort.js';
import { type RefAdam, type RefSgd, type RefState, referenceStep } from './helpers/reference-optimizers.js';

const f32 = DataType.FLOAT;
const DIMS = [3, 2];
const fr = (xs: readonly number[]) => xs.map(Math.fround);

// Parameters away from zero; gradients of mixed sign and size, different at each step.
const PARAM = fr([0.5, -0.8, 1.2, -0.3, 0.9, -1.5]);
const GRADS = [fr([0.2, -0.5, 0.05, 1.1, -0.7, 0.3]), fr([0.25, -0.35, 0.4, 0.9, -0.2, 0.35]), fr([0.1, -0.6, -0.15, 1.3, -0.5, 0.05])];
// Gradients of order 1e-6, so that sqrt(v_hat) ~ 1e-6 and epsilon = 1e-7 changes the step by ~10 %.
const TINY_GRADS = GRADS.map((g) => fr(g.map((v) => v * 1e-6)));
// A schedule, so the three-step runs also show the learning_rate input (not the config) is used.
const LR_FACTOR = [1, 0.5, 0.25];

function refConfig(c: OptimizerConfig): RefSgd | RefAdam {
  return c.kind === 'sgd'
    ? { kind: 'sgd', lr: c.learningRate, momentum: c.momentum, nesterov: c.nesterov, weightDecay: c.weightDecay }
    : { kind: c.kind, lr: c.learningRate, beta1: c.beta1, beta2: c.beta2, eps: c.epsilon, weightDecay: c.weightDecay };
}

/** The update of one [3,2] parameter as a graph: inputs param, grad (standing in for a gradient), slots, lr, step. */
async function updateSession(config: OptimizerConfig) {
  const rule = optimizerRule(config);
  const b = new GraphBuilder('update');
  const param = b.input('param', f32, DIMS);
  const grad = b.input('grad', f32, DIMS);
  const slots = Object.fromEntries(rule.slots.map((s) => [s, b.input(s, f32, DIMS)]));
  const learningRate = b.input('learning_rate', f32, []);
  const step = b.input('step', f32, []);
  const next = rule.update({ b, param, grad, slots, learningRate, step });
  b.output(next.param, 'param_out');
  for (const s of rule.slots) b.output(next.slots[s]!, `${s}_out`);
  return { rule, session: await sessionOf(b) };
}

/** max |a - r| / max |r|: relative to the tensor's scale, so one element near zero does not dominate. */
function relErr(actual: readonly number[], ref: readonly number[]): number {
  const scale = Math.max(...ref.map(Math.abs));
  return Math.max(...actual.map((a, i) => Math.abs(a - ref[i]!))) / scale;
}

interface Case {
  readonly kind: string;
  readonly options: Parameters<typeof optimizerConfig>[1];
  readonly grads?: readonly number[][];
}

const cases: Record<string, Case> = {
  'SGD plain': { kind: 'sgd', options: { learningRate: 0.1 } },
  'SGD momentum 0.9': { kind: 'sgd', options: { learningRate: 0.1, momentum: 0.9 } },
  'SGD Nesterov momentum 0.9': { kind: 'sgd', options: { learningRate: 0.1, momentum: 0.9, nesterov: true } },
  'SGD weight decay 0.1': { kind: 'sgd', options: { learningRate: 0.1, weightDecay: 0.1 } },
  'SGD momentum 0.5 + weight decay 0.2': { kind: 'sgd', options: { learningRate: 0.1, momentum: 0.5, weightDecay: 0.2 } },
  'Adam lr 0.1': { kind: 'adam', options: { learningRate: 0.1 } },
  'Adam betas (0.8, 0.95)': { kind: 'adam', options: { learningRate: 0.05, beta1: 0.8, beta2: 0.95 } },
  'Adam defaults, tiny gradients (epsilon 1e-7 matters)': { kind: 'adam', options: {}, grads: TINY_GRADS },
  'Adam weight decay 0.1 (L2, added to the gradient)': { kind: 'adam', options: { learningRate: 0.1, weightDecay: 0.1 } },
  'AdamW weight decay 0.1 (decoupled)': { kind: 'adamw', options: { learningRate: 0.1, weightDecay: 0.1 } },
  'AdamW defaults (weight decay 0.01)': { kind: 'adamw', options: {} },
};

// Float32 graph against a float64 reference: the parameter and state within 1e-6 relative. The step
// taken (new - old parameter) within 1e-4 relative plus one float32 ulp of the parameters' scale
// (2^-23 max|p|, the rounding of the stored parameter, which dominates when lr is 2.5e-4); a
// misplaced epsilon or bias correction changes the step by 10 % or more.
const TOL_STATE = 1e-6;
const TOL_STEP = 1e-4;
const ULP = 2 ** -23;

describe('optimizer updates match PyTorch-formula references (float32 graph on ORT CPU vs float64 reference)', () => {
  for (const [name, c] of Object.entries(cases)) {
    for (const steps of [1, 3]) {
      it(`${name}: ${steps} step${steps > 1 ? 's' : ''}`, async () => {
        const config = optimizerConfig(c.kind, c.options);
        const { rule, session } = await updateSession(config);
        const grads = c.grads ?? GRADS;
        let param = [...PARAM];
        let refParam = [...PARAM];
        let state: RefState = Object.fromEntries(rule.slots.map((s) => [s, [0, 0, 0, 0, 0, 0]]));
        let refState: RefState = Object.fromEntries(rule.slots.map((s) => [s, [0, 0, 0, 0, 0, 0]]));
        for (let t = 1; t <= steps; t++) {
          const lr = Math.fround(config.learningRate * LR_FACTOR[t - 1]!);
          const out = await runSession(session, {
            param: tensor(param, DIMS, f32),
            grad: tensor(grads[t - 1]!, DIMS, f32),
            learning_rate: tensor([lr], [], f32),
            step: tensor([t], [], f32),
            ...Object.fromEntries(rule.slots.map((s) => [s, tensor(state[s]!, DIMS, f32)])),
          });
          // The reference continues from the graph's (float32) values, so the error is one step's.
          const ref = referenceStep({ ...refConfig(config), lr }, param, grads[t - 1]!, state, t);
          expect(relErr(out.param_out!, ref.param), `parameter after step ${t}`).toBeLessThan(TOL_STATE);
          const taken = out.param_out!.map((p, i) => p - param[i]!);
          const refTaken = ref.param.map((p, i) => p - param[i]!);
          const stepErr = Math.max(...taken.map((d, i) => Math.abs(d - refTaken[i]!)));
          const stepTol = TOL_STEP * Math.max(...refTaken.map(Math.abs)) + ULP * Math.max(...param.map(Math.abs));
          expect(stepErr, `step taken at step ${t}`).toBeLessThan(stepTol);
          for (const s of rule.slots) expect(relErr(out[`${s}_out`]!, ref.state[s]!), `slot ${s} after step ${t}`).toBeLessThan(TOL_STATE);
          // Independently of the graph, the float64 chain from the same start.
          const chained = referenceStep({ ...refConfig(config), lr }, refParam, grads[t - 1]!, refState, t);
          refParam = chained.param;
          refState = chained.state;
          param = out.param_out!;
          state = Object.fromEntries(rule.slots.map((s) => [s, out[`${s}_out`]!]));
        }
        expect(relErr(param, refParam), 'parameter after all steps vs the pure float64 chain').toBeLessThan(TOL_STATE);
        expect(Object.keys(state).sort()).toEqual(config.kind === 'sgd' ? (config.momentum > 0 ? ['velocity'] : []) : ['m', 'v']);
      });
    }
  }
});

describe('the references themselves (hand-worked values, so a shared mistake cannot pass unnoticed)', () => {
  it('Adam first step moves each weight by about lr * sign(g) (m^ / sqrt(v^) = g / |g|)', () => {
    const r = referenceStep(
      { kind: 'adam', lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-7, weightDecay: 0 },
      [1, 1],
      [0.5, -2],
      { m: [0, 0], v: [0, 0] },
      1,
    );
    expect(r.param[0]).toBeCloseTo(0.9, 6);
    expect(r.param[1]).toBeCloseTo(1.1, 6);
  });

  it('Nesterov at step 1 moves by lr (1 + mu) g', () => {
    const r = referenceStep({ kind: 'sgd', lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0 }, [1], [2], { velocity: [0] }, 1);
    expect(r.param[0]).toBeCloseTo(1 - 0.1 * 1.9 * 2, 12);
  });

  it('AdamW first step: p (1 - lr wd) - lr sign(g)', () => {
    const r = referenceStep(
      { kind: 'adamw', lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-7, weightDecay: 0.5 },
      [2],
      [3],
      { m: [0], v: [0] },
      1,
    );
    expect(r.param[0]).toBeCloseTo(2 * 0.95 - 0.1, 6);
  });
});

describe('optimizerConfig validation', () => {
  const rejects = (fn: () => unknown, field: string, value: unknown) => {
    let caught: unknown;
    try {
      fn();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    const e = caught as InvalidArgumentError;
    expect(e.field).toBe(field);
    expect(e.value).toBe(value);
    expect(e.message).toContain(field);
  };

  it("sgd momentum 1 names 'momentum'", () => rejects(() => optimizerConfig('sgd', { momentum: 1 }), 'momentum', 1));
  it("sgd momentum -0.1 names 'momentum'", () => rejects(() => optimizerConfig('sgd', { momentum: -0.1 }), 'momentum', -0.1));
  it("nesterov without momentum names 'nesterov'", () => rejects(() => optimizerConfig('sgd', { nesterov: true }), 'nesterov', true));
  it("an unknown optimizer names 'optimizer' and lists the known ones", () => {
    rejects(() => optimizerConfig('rmsprop'), 'optimizer', 'rmsprop');
    expect(() => optimizerConfig('rmsprop')).toThrow(/sgd, adam, adamw/);
  });
  it("adam beta1 1 names 'beta1'", () => rejects(() => optimizerConfig('adam', { beta1: 1 }), 'beta1', 1));
  it("adam beta2 1.5 names 'beta2'", () => rejects(() => optimizerConfig('adam', { beta2: 1.5 }), 'beta2', 1.5));
  it("adam epsilon 0 names 'epsilon'", () => rejects(() => optimizerConfig('adam', { epsilon: 0 }), 'epsilon', 0));
  it("learning rate 0 names 'learningRate'", () => rejects(() => optimizerConfig('adamw', { learningRate: 0 }), 'learningRate', 0));
  it("learning rate NaN names 'learningRate'", () => rejects(() => optimizerConfig('sgd', { learningRate: NaN }), 'learningRate', NaN));
  it("negative weight decay names 'weightDecay'", () => rejects(() => optimizerConfig('sgd', { weightDecay: -1 }), 'weightDecay', -1));

  it('defaults: Adam epsilon 1e-7 and no decay, AdamW decay 0.01, SGD lr 0.01 without momentum', () => {
    expect(optimizerConfig('adam')).toEqual({ kind: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0 });
    expect(optimizerConfig('adamw')).toMatchObject({ kind: 'adamw', epsilon: 1e-7, weightDecay: 0.01 });
    expect(optimizerConfig('sgd')).toEqual({ kind: 'sgd', learningRate: 0.01, momentum: 0, nesterov: false, weightDecay: 0 });
  });
});
