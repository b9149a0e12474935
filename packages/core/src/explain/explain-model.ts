import { META } from '../artifacts/metadata.js';
import { GraphBuilder } from '../ir/builder.js';
import { DataType } from '../ir/dtype.js';
import { DEFAULT_IR_VERSION, type Graph, type Model, type Value, attr } from '../ir/graph.js';
import { makeModel } from '../ir/model.js';
import type { Preprocessing } from '../preprocess/schema.js';
import { type AttributionSpace, differentiableFrom, findFeatureSpace, requireDifferentiable } from './attribution-space.js';
import { type Baseline, baselineRow, defaultBaseline } from './baseline.js';
import { ExplainError } from './explain-error.js';
import { EXPLAIN_IO, type ExplainFacts, type ExplainMethod, type ExplainOptions, resolveExplainOptions } from './explain-options.js';
import { type ExplainedOutput, explainedOutput, readModelFacts } from './explained-output.js';
import { AT_INPUT, asMatrix, emitPathAttributions, midpointRule } from './path-gradient.js';
import { type Bindings, ancestorsOf, declareInitializers, replayNodes } from './replay.js';
import { checkOpset, explainOpset } from './opset-check.js';

/** An explain model and what it explains. */
export interface ExplainModel {
  /** The ONNX model: raw rows in, one attribution per raw column out (EXPLAIN_IO names). */
  readonly model: Model;
  readonly facts: ExplainFacts;
}

/** The model's one data input: a float matrix [batch, C] with C known. */
function floatMatrixInput(graph: Graph): Value {
  const inputs = graph.inputs.filter((v) => !graph.initializers.has(v.name));
  const only = inputs[0];
  if (inputs.length !== 1 || !only) {
    throw new ExplainError(`explain needs a model with one input (a float matrix); this one has ${inputs.length}`, {
      inputs: inputs.length,
    });
  }
  if (only.dtype !== DataType.FLOAT || only.shape.length !== 2 || typeof only.shape[1] !== 'number') {
    throw new ExplainError(
      `explain needs a float matrix input [batch, columns] with a known column count; input ${only.name} is ${DataType[only.dtype] ?? only.dtype} [${only.shape}]`,
      { input: only.name },
    );
  }
  return only;
}

/** The explained entry of each row: its predicted class (argmax), or the first output of a regression. */
function emitMask(b: GraphBuilder, out: Value, target: ExplainedOutput): { mask: Value; cls?: Value } {
  const f = DataType.FLOAT;
  if (!target.classifier) {
    const first = b.constant([1, ...new Array(target.width - 1).fill(0)], f, [1, target.width]);
    return { mask: b.op('Expand', [first, b.op('Shape', [out])]) };
  }
  const cls = b.op('ArgMax', [out], { axis: attr.int(1), keepdims: attr.int(0) });
  const range = b.constant(
    Array.from({ length: target.width }, (_, k) => k),
    DataType.INT64,
  );
  const hit = b.op('Equal', [b.op('Unsqueeze', [cls, b.constant([1], DataType.INT64)]), range]);
  return { mask: b.op('Cast', [hit], { to: attr.int(f) }), cls };
}

function selected(b: GraphBuilder, out: Value, mask: Value): Value {
  return b.op('ReduceSum', [b.op('Mul', [out, mask]), b.constant([1], DataType.INT64)], { keepdims: attr.int(0) });
}

/** The [W, C] 0/1 matrix that sums each feature's attribution into its raw column. */
function columnSums(b: GraphBuilder, attributions: Value, space: AttributionSpace, columns: number): Value {
  const identity = space.featureColumn.length === columns && space.featureColumn.every((c, i) => c === i);
  if (identity) return attributions;
  const data = new Array<number>(space.featureColumn.length * columns).fill(0);
  space.featureColumn.forEach((c, w) => {
    data[w * columns + c] = 1;
  });
  return b.op('MatMul', [attributions, b.constant(data, DataType.FLOAT, [space.featureColumn.length, columns])]);
}

/** The raw column each preprocessed feature belongs to, in the preprocessing's feature order. */
function featureColumns(p: Preprocessing): number[] {
  const numeric = p.columns.flatMap((c, i) => (c.kind === 'categorical' ? [] : [i]));
  const categorical = p.columns.flatMap((c, i) => (c.kind === 'categorical' ? c.vocabulary.map(() => i) : []));
  return [...numeric, ...categorical];
}

interface Plan {
  readonly graph: Graph;
  readonly input: Value;
  readonly target: ExplainedOutput;
  readonly preprocessing?: Preprocessing;
  readonly baseline: Baseline;
  readonly method: ExplainMethod;
  readonly steps: number;
}

function locateSpace(plan: Plan, atInput: Bindings): AttributionSpace {
  const { graph, input, target } = plan;
  const columns = input.shape[1] as number;
  const space = plan.preprocessing
    ? findFeatureSpace({
        graph,
        input: input.name,
        target: target.name,
        replayed: atInput,
        featureColumn: featureColumns(plan.preprocessing),
      })
    : { value: input.name, featureColumn: Array.from({ length: columns }, (_, i) => i) };
  const live = differentiableFrom(graph, space.value, (name) => atInput.get(name)?.dtype);
  requireDifferentiable(graph, live, target.name, space.value);
  return space;
}

function emitExplain(b: GraphBuilder, plan: Plan): void {
  const { graph, input, target } = plan;
  const columns = input.shape[1] as number;
  const raw = b.input(input.name, DataType.FLOAT, input.shape);
  const inits = declareInitializers(b, graph);
  const nodes = ancestorsOf(graph, [target.name]);
  const atInput = replayNodes(b, { nodes, bound: new Map([...inits, [input.name, raw]]), scope: 'at_input' });
  const missingOr = (value: Value) => b.op('Where', [b.op('Equal', [raw, raw]), value, raw]);
  const base = missingOr(b.constant(baselineRow(plan.baseline, columns, plan.preprocessing), DataType.FLOAT, [1, columns]));
  const atBase = replayNodes(b, { nodes, bound: new Map([...inits, [input.name, base]]), scope: 'at_baseline' });
  const space = locateSpace(plan, atInput);
  const outX = asMatrix(b, atInput.get(target.name)!);
  const { mask, cls } = emitMask(b, outX, target);
  const features = emitPathAttributions(b, {
    graph,
    nodes,
    initializers: inits,
    space: space.value,
    atInput: atInput.get(space.value)!,
    atBaseline: atBase.get(space.value)!,
    target: target.name,
    mask,
    rule: plan.method === 'gradient' ? AT_INPUT : midpointRule(plan.steps),
  });
  b.output(columnSums(b, features, space, columns), EXPLAIN_IO.attributions);
  b.output(selected(b, outX, mask), EXPLAIN_IO.output);
  b.output(selected(b, asMatrix(b, atBase.get(target.name)!), mask), EXPLAIN_IO.baselineOutput);
  if (cls) b.output(cls, EXPLAIN_IO.explainedClass);
}

/**
 * Builds, from an inference model (onnx-mlp's or any whose input is a float matrix and whose ops
 * have gradient rules), the ONNX model that explains its predictions: per row, each raw column's
 * attribution toward the predicted class (or the regression output), by gradient × (input −
 * baseline) or integrated gradients along the straight path from the baseline. The gradient
 * comes from the core's reverse-mode differentiator over a replay of the decoded graph.
 */
export function buildExplainModel(model: Model, options: ExplainOptions = {}): ExplainModel {
  // An export with a `missing` mask input (export/missing-mask.ts): its preprocessing reads two inputs.
  // (The metadata key itself: explain/ imports artifacts/metadata only, see layers.test.ts.)
  if (model.metadata.has(META.missingInput))
    throw new ExplainError(
      'explain reads a model that takes missing cells as NaN; this one is an export with a second input "missing": explain the model it was exported from',
      { missingForm: 'mask' },
    );
  const facts = readModelFacts(model);
  const { method, steps } = resolveExplainOptions(options);
  const baseline = options.baseline ?? defaultBaseline(facts.preprocessing);
  const opset = checkOpset(model);
  const input = floatMatrixInput(model.graph);
  const b = new GraphBuilder('explain', { opset: explainOpset(opset) });
  const target = explainedOutput(model, facts);
  const plan: Plan = {
    graph: model.graph,
    input,
    target,
    baseline,
    method,
    steps,
    ...(facts.preprocessing ? { preprocessing: facts.preprocessing } : {}),
  };
  emitExplain(b, plan);
  const explainFacts: ExplainFacts = {
    method,
    steps: method === 'gradient' ? 1 : steps,
    baseline,
    columns:
      facts.preprocessing?.columns.map((c) => c.name) ?? Array.from({ length: input.shape[1] as number }, (_, i) => `${input.name}[${i}]`),
    output: target.name,
    classNames: target.classifier ? (facts.classNames ?? Array.from({ length: target.width }, (_, k) => String(k))) : null,
  };
  const built = b.build(`Attributions of ${target.name} by ${method} from a ${baseline} baseline, made by onnx-mlp.`);
  return {
    model: makeModel(built, {
      opset: explainOpset(opset),
      irVersion: Math.max(DEFAULT_IR_VERSION, model.irVersion),
      metadata: { [META.kind]: 'explain', [META.explain]: JSON.stringify(explainFacts) },
      docString: `onnx-mlp explanation (${method}) of ${target.name}`,
    }),
    facts: explainFacts,
  };
}
