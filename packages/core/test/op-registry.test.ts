import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  OPTIMIZERS,
  buildInferenceModel,
  buildTrainingArtifacts,
  featureWidth,
  fitPreprocessing,
  mlpSpec,
  optimizerConfig,
  TASKS,
} from '@onnx-mlp/core';
import { DataType, GraphBuilder, type Graph } from '@onnx-mlp/core/ir';
import { defineOp, getOp, registeredOps } from '@onnx-mlp/core/ops';
import { initParameters, Rng } from '@onnx-mlp/core/model';
import { buildPreprocessModel } from '@onnx-mlp/core/artifacts';

/** Every op type in `graph` and the subgraphs (Loop bodies) of its nodes. */
function opTypes(graph: Graph, into = new Set<string>()): Set<string> {
  for (const node of graph.nodes) {
    into.add(node.opType);
    for (const a of Object.values(node.attributes)) if (a.kind === 'graph') opTypes(a.value, into);
  }
  return into;
}

/** The op types of every graph core builds, over every task, activation and optimizer, with dropout, clipping and preprocessing. */
function emittedOpTypes(): Set<string> {
  const emitted = new Set<string>();
  const preprocessing = fitPreprocessing(
    [
      { name: 'age', kind: 'numeric', values: [1, NaN, 3] },
      { name: 'member', kind: 'boolean', values: [1, 0, 1] },
      { name: 'city', kind: 'categorical', values: ['a', null, 'b'] },
    ],
    { categoricalMissing: 'category' },
  );
  for (const task of TASKS) {
    for (const [k, activation] of ACTIVATIONS.entries()) {
      const optimizer = OPTIMIZERS[k % OPTIMIZERS.length]!;
      const spec = mlpSpec({
        inputs: featureWidth(preprocessing),
        hidden: [5, 3],
        outputs: task === 'multiclass' ? 3 : 1,
        task,
        activation,
        dropout: 0.2,
      });
      const art = buildTrainingArtifacts(spec, optimizerConfig(optimizer), { clipNorm: 1 });
      for (const m of [art.trainingModel, art.epochModel, art.evalModel]) opTypes(m.graph, emitted);
      opTypes(buildInferenceModel(spec, initParameters(spec, new Rng(1)), { preprocessing }).graph, emitted);
    }
  }
  opTypes(buildPreprocessModel(preprocessing).graph, emitted);
  return emitted;
}

describe('the op registry', () => {
  it('refuses a second registration of an op, keeping the first', () => {
    const relu = getOp('Relu');
    expect(() => defineOp({ opType: 'Relu', infer: () => [], gradient: null })).toThrow(/op Relu is registered twice/);
    expect(getOp('Relu')).toBe(relu);
    expect(registeredOps().filter((d) => d.opType === 'Relu')).toHaveLength(1);
  });

  // tfjs' habit: what the builder can emit is checked against the registry, not kept by hand.
  it('has, for every op the artifacts emit, a gradient rule or a declared "no gradient"', () => {
    const emitted = emittedOpTypes();
    expect(emitted.size).toBeGreaterThan(30);
    for (const op of ['Gemm', 'Loop', 'Softmax', 'Erf', 'Where', 'Equal']) expect(emitted, op).toContain(op);
    const undeclared = [...emitted].filter((op) => {
      const def = registeredOps().find((d) => d.opType === op);
      return !def || !(typeof def.gradient === 'function' || def.gradient === null);
    });
    expect(undeclared).toEqual([]);
  });

  it('gives every registered op a gradient rule or null, never undefined', () => {
    const bad = registeredOps()
      .filter((d) => typeof d.gradient !== 'function' && d.gradient !== null)
      .map((d) => d.opType);
    expect(bad).toEqual([]);
  });
});

describe('GraphBuilder op tables', () => {
  it('types nodes with an injected table instead of the registry', () => {
    const b = new GraphBuilder('g', { ops: (op) => ({ infer: ([x]) => [{ dtype: DataType.INT64, shape: [op.length, ...x!.shape] }] }) });
    const y = b.op('MyOp', [b.input('x', DataType.FLOAT, [2])]);
    expect([y.dtype, y.shape]).toEqual([DataType.INT64, [4, 2]]);
  });

  it('passes its table to a subgraph builder', () => {
    const ops = () => ({ infer: () => [{ dtype: DataType.BOOL, shape: [7] }] });
    const parent = new GraphBuilder('g', { ops });
    const body = new GraphBuilder('body', { parent });
    expect(body.op('Anything', []).shape).toEqual([7]);
  });

  it('types nodes with the registry by default', () => {
    const b = new GraphBuilder('g');
    expect(() => b.op('NoSuchOp', [])).toThrow(/op NoSuchOp is not defined/);
    expect(b.op('Relu', [b.input('x', DataType.FLOAT, [3])]).shape).toEqual([3]);
  });
});
