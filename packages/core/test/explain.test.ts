import { describe, expect, it } from 'vitest';
import { type Model, buildInferenceModel, featureWidth, fitPreprocessing, mlpSpec } from '@onnx-mlp/core';
import { Rng, initParameters } from '@onnx-mlp/core/model';
import { buildExplainModel, EXPLAIN_IO, ExplainError } from '@onnx-mlp/core/explain';
import { DataType, GraphBuilder, attr, makeModel } from '@onnx-mlp/core/ir';
import { runRows, smallModel, smallPreprocessing } from './helpers/explain-models.js';

// Raw rows over age, income, member, city (city as its vocabulary index: kyiv 0, lima 1, oslo 2, rome 3).
const ROWS = [
  [30, 2000, 1, 0],
  [62, 4000, 0, 2],
  [45, 800, 1, 3],
  [19, 3900, 0, 1],
];
const COLUMNS = 4;

const rowSum = (a: number[], r: number) => a.slice(r * COLUMNS, (r + 1) * COLUMNS).reduce((s, v) => s + v, 0);

describe('integrated gradients', () => {
  for (const task of ['multiclass', 'binary', 'regression'] as const) {
    it(`${task}: with 200 steps each row's attributions sum to output − baseline output within 1 %`, async () => {
      const { model, facts } = buildExplainModel(smallModel(task, 'relu'), { steps: 200 });
      expect(facts.columns).toEqual(['age', 'income', 'member', 'city']);
      const out = await runRows(model, ROWS);
      const predictions = await runRows(smallModel(task, 'relu'), ROWS);
      ROWS.forEach((_, r) => {
        const change = out[EXPLAIN_IO.output]![r]! - out[EXPLAIN_IO.baselineOutput]![r]!;
        expect(Math.abs(change)).toBeGreaterThan(1e-3);
        expect(Math.abs(rowSum(out[EXPLAIN_IO.attributions]!, r) - change)).toBeLessThan(0.01 * Math.abs(change));
      });
      // The explained output is the model's own: the predicted class's probability, or the prediction.
      if (task === 'regression') expect(out[EXPLAIN_IO.output]).toEqual(predictions.prediction!.map((v) => expect.closeTo(v, 6)));
      else {
        expect(out[EXPLAIN_IO.explainedClass]).toEqual(predictions.label);
        const width = task === 'binary' ? 2 : 3;
        const p = ROWS.map((_, r) => predictions.probabilities![r * width + predictions.label![r]!]!);
        expect(out[EXPLAIN_IO.output]).toEqual(p.map((v) => expect.closeTo(v, 6)));
      }
    });
  }

  it('the one-hot features of a category are summed into its column: a row that differs from the baseline only in city gives city all of the change', async () => {
    const pre = smallPreprocessing();
    const city = pre.columns[3]!;
    expect(city.kind === 'categorical' && city.vocabulary[city.missingIndex]).toBe('rome');
    const means = pre.columns.map((c) => (c.kind === 'categorical' ? c.missingIndex : c.scaling === 'standard' ? c.center : c.impute));
    const row = [...means.slice(0, 3), 2]; // oslo instead of rome: two one-hot features move (+1 and −1)
    const { model } = buildExplainModel(smallModel('multiclass'), { steps: 100 });
    const out = await runRows(model, [row]);
    const change = out[EXPLAIN_IO.output]![0]! - out[EXPLAIN_IO.baselineOutput]![0]!;
    expect(Math.abs(change)).toBeGreaterThan(1e-3);
    const a = out[EXPLAIN_IO.attributions]!;
    expect(a.slice(0, 3).map(Math.abs)).toEqual([0, 0, 0].map(() => expect.closeTo(0, 6)));
    expect(Math.abs(a[3]! - change)).toBeLessThan(0.01 * Math.abs(change));
  });

  it('a missing cell gets exactly zero attribution and the rest still sum to the change', async () => {
    const { model } = buildExplainModel(smallModel('multiclass', 'relu'), { steps: 200 });
    const out = await runRows(model, [
      [NaN, 3000, 1, NaN],
      [52, NaN, 0, 1],
    ]);
    const a = out[EXPLAIN_IO.attributions]!;
    expect([a[0], a[3], a[5]]).toEqual([0, 0, 0]);
    for (const r of [0, 1]) {
      const change = out[EXPLAIN_IO.output]![r]! - out[EXPLAIN_IO.baselineOutput]![r]!;
      expect(Math.abs(rowSum(a, r) - change)).toBeLessThan(0.01 * Math.abs(change) + 1e-6);
    }
  });

  it('the zero baseline puts zeros (numeric) and no category through the model', async () => {
    const { model, facts } = buildExplainModel(smallModel('regression'), { baseline: 'zero', steps: 100 });
    expect(facts.baseline).toBe('zero');
    const out = await runRows(model, [ROWS[0]!]);
    const atZero = await runRows(smallModel('regression'), [[0, 0, 0, -1]]);
    expect(out[EXPLAIN_IO.baselineOutput]![0]).toBeCloseTo(atZero.prediction![0]!, 5);
  });
});

describe('gradient × input', () => {
  it('equals central finite differences of the model times (input − baseline), column by column', async () => {
    const inference = smallModel('multiclass', 'tanh');
    const { model } = buildExplainModel(inference, { method: 'gradient', baseline: 'zero' });
    const out = await runRows(model, ROWS);
    const predicted = await runRows(inference, ROWS);
    const numericColumns = [0, 1, 2];
    const pre = smallPreprocessing();
    for (const [r, row] of ROWS.entries()) {
      const label = predicted.label![r]!;
      for (const c of numericColumns) {
        const col = pre.columns[c]!;
        const h = 1e-2 * (col.kind === 'categorical' ? 1 : col.scale);
        const plus = [...row];
        const minus = [...row];
        plus[c]! += h;
        minus[c]! -= h;
        const p = await runRows(inference, [plus, minus]);
        const slope = (p.probabilities![label]! - p.probabilities![3 + label]!) / (2 * h);
        const expected = slope * row[c]!;
        expect(Math.abs(out[EXPLAIN_IO.attributions]![r * COLUMNS + c]! - expected)).toBeLessThan(
          2e-3 * Math.max(1e-2, Math.abs(expected)),
        );
      }
    }
  });
});

/** A model onnx-mlp did not make: no metadata, input `x` [N, 3], MatMul/Add/Relu/MatMul/Softmax to `scores` [N, 2]. */
function foreignModel(): Model {
  const b = new GraphBuilder('foreign');
  const x = b.input('x', DataType.FLOAT, ['N', 3]);
  const w1 = b.initializer('w1', {
    dtype: DataType.FLOAT,
    dims: [3, 4],
    data: Float32Array.from([0.5, -0.3, 0.8, 0.1, -0.6, 0.4, 0.2, 0.7, 0.3, 0.9, -0.5, -0.2]),
  });
  const b1 = b.initializer('b1', { dtype: DataType.FLOAT, dims: [4], data: Float32Array.from([0.1, 0.2, -0.1, 0.05]) });
  const w2 = b.initializer('w2', {
    dtype: DataType.FLOAT,
    dims: [4, 2],
    data: Float32Array.from([1.2, -0.7, -0.4, 0.9, 0.6, 0.3, -1.1, 0.5]),
  });
  const hidden = b.op('Relu', [b.op('Add', [b.op('MatMul', [x, w1]), b1])]);
  b.output(b.op('Softmax', [b.op('MatMul', [hidden, w2])], { axis: attr.int(-1) }), 'scores');
  return makeModel(b.build());
}

describe('a model onnx-mlp did not make', () => {
  const rows = [
    [1.5, -0.5, 2.0],
    [0.3, 1.2, -0.7],
  ];

  it('with a float matrix input: integrated gradients from zero sum to the change within 1 %, columns named by input position', async () => {
    const { model, facts } = buildExplainModel(foreignModel(), { steps: 200 });
    expect(facts).toMatchObject({ baseline: 'zero', output: 'scores', columns: ['x[0]', 'x[1]', 'x[2]'], classNames: ['0', '1'] });
    const out = await runRows(model, rows);
    const predicted = await runRows(foreignModel(), [...rows, [0, 0, 0]]);
    for (const r of [0, 1]) {
      const cls = out[EXPLAIN_IO.explainedClass]![r]!;
      expect(cls).toBe(predicted.scores![2 * r]! > predicted.scores![2 * r + 1]! ? 0 : 1);
      expect(out[EXPLAIN_IO.baselineOutput]![r]).toBeCloseTo(predicted.scores![4 + cls]!, 6);
      const change = out[EXPLAIN_IO.output]![r]! - out[EXPLAIN_IO.baselineOutput]![r]!;
      const sum = out[EXPLAIN_IO.attributions]!.slice(3 * r, 3 * r + 3).reduce((s, v) => s + v, 0);
      expect(Math.abs(sum - change)).toBeLessThan(0.01 * Math.abs(change));
    }
  });

  it.for([13, 19])('declared at opset %i: explained at that opset, completeness within 1 %', async (opset) => {
    const m = foreignModel();
    const { model } = buildExplainModel({ ...m, opsetImports: new Map([['', opset]]), irVersion: opset > 17 ? 9 : 8 }, { steps: 200 });
    expect(model.opsetImports.get('')).toBe(opset);
    const out = await runRows(model, rows);
    const change = out[EXPLAIN_IO.output]![0]! - out[EXPLAIN_IO.baselineOutput]![0]!;
    const sum = out[EXPLAIN_IO.attributions]!.slice(0, 3).reduce((s, v) => s + v, 0);
    expect(Math.abs(sum - change)).toBeLessThan(0.01 * Math.abs(change));
  });

  it('an op whose form the declared opset changes (Unsqueeze at opset 11) is refused, naming it', () => {
    const m = foreignModel();
    const axes = { opType: 'Unsqueeze', name: 'u', inputs: ['scores'], outputs: ['scores3'], attributes: { axes: attr.ints([2]) } };
    const graph = { ...m.graph, nodes: [...m.graph.nodes, axes] };
    expect(() => buildExplainModel({ ...m, graph, opsetImports: new Map([['', 11]]) })).toThrow(
      /op Unsqueeze at opset 11 has a form explain does not read/,
    );
  });

  it('baseline mean is refused with a message: the model records no training means', () => {
    expect(() => buildExplainModel(foreignModel(), { baseline: 'mean' })).toThrow(/baseline mean needs the training means/);
  });

  it('an op with no gradient rule on the way is named', () => {
    const m = foreignModel();
    const nodes = m.graph.nodes.map((n) => (n.opType === 'Relu' ? { ...n, opType: 'Floor' } : n));
    expect(() => buildExplainModel({ ...m, graph: { ...m.graph, nodes } })).toThrow(ExplainError);
    expect(() => buildExplainModel({ ...m, graph: { ...m.graph, nodes } })).toThrow(/op Floor .*cannot be explained.*not defined/);
  });

  it('an output reached only through an op that stops the gradient names that op', () => {
    const b = new GraphBuilder('argmax');
    const x = b.input('x', DataType.FLOAT, ['N', 3]);
    const index = b.op('ArgMax', [x], { axis: attr.int(1), keepdims: attr.int(1) });
    b.output(b.op('Cast', [index], { to: attr.int(DataType.FLOAT) }), 'y');
    expect(() => buildExplainModel(makeModel(b.build()))).toThrow(/not differentiable with respect to x: the gradient stops at op ArgMax/);
  });

  it('an input that is not a float matrix is refused, naming it and its type', () => {
    const b = new GraphBuilder('ints');
    const x = b.input('ids', DataType.INT64, ['N', 3]);
    b.output(b.op('Cast', [x], { to: attr.int(DataType.FLOAT) }), 'y');
    expect(() => buildExplainModel(makeModel(b.build()))).toThrow(/float matrix input \[batch, columns\].*input ids is INT64 \[N,3\]/);
  });
});

describe('preprocessing of one kind only', () => {
  const cases = {
    'numeric columns only (the gradient is taken at the gathered raw values)': {
      columns: [
        { name: 'a', kind: 'numeric' as const, values: [1, 2, 3, 4, Number.NaN] },
        { name: 'b', kind: 'numeric' as const, values: [10, 30, 20, 40, 50] },
      ],
      rows: [
        [3.5, 12],
        [Number.NaN, 45],
      ],
    },
    'categorical columns only (the gradient is taken at the one-hot features)': {
      columns: [
        { name: 'c', kind: 'categorical' as const, values: ['x', 'y', 'z', 'x', null] },
        { name: 'd', kind: 'categorical' as const, values: ['p', 'q', 'p', 'p', 'q'] },
      ],
      rows: [
        [2, 1],
        [Number.NaN, 1],
      ],
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: completeness within 1 %, a missing cell 0`, async () => {
      const preprocessing = fitPreprocessing(c.columns);
      const spec = mlpSpec({ inputs: featureWidth(preprocessing), hidden: [5], outputs: 3, activation: 'tanh' });
      const inference = buildInferenceModel(spec, initParameters(spec, new Rng(11)), { preprocessing });
      const { model } = buildExplainModel(inference, { steps: 100 });
      const out = await runRows(model, c.rows);
      const a = out[EXPLAIN_IO.attributions]!;
      expect(a[2]).toBe(0);
      for (const r of [0, 1]) {
        const change = out[EXPLAIN_IO.output]![r]! - out[EXPLAIN_IO.baselineOutput]![r]!;
        expect(Math.abs(change)).toBeGreaterThan(1e-4);
        expect(Math.abs(a[2 * r]! + a[2 * r + 1]! - change)).toBeLessThan(0.01 * Math.abs(change));
      }
    });
  }
});

/**
 * `m` in the other standard form: each Gemm's weight transposed with transB toggled ([out, in] and
 * transB = 1, or [in, out]), and each missing-value test swapped between Equal(x, x) and IsNaN(x)
 * (the Where that reads it with its branches swapped).
 */
function otherForm(m: Model): Model {
  const initializers = new Map(m.graph.initializers);
  const swappedTests = new Set<string>();
  const nodes = m.graph.nodes.map((n) => {
    if (n.opType === 'Gemm') {
      const w = initializers.get(n.inputs[1]!)!;
      const [rows, cols] = w.dims as [number, number];
      const data = new Float32Array(rows * cols);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[j * rows + i] = (w.data as Float32Array)[i * cols + j]!;
      initializers.set(n.inputs[1]!, { dtype: w.dtype, dims: [cols, rows], data });
      const transB = n.attributes.transB?.value === 1 ? 0 : 1;
      return { ...n, attributes: { ...n.attributes, transB: attr.int(transB) } };
    }
    if (n.opType === 'IsNaN') {
      swappedTests.add(n.outputs[0]!);
      return { ...n, opType: 'Equal', inputs: [n.inputs[0]!, n.inputs[0]!] };
    }
    if (n.opType === 'Equal' && n.inputs[0] === n.inputs[1]) {
      swappedTests.add(n.outputs[0]!);
      return { ...n, opType: 'IsNaN', inputs: [n.inputs[0]!] };
    }
    return n;
  });
  const swapped = nodes.map((n) =>
    n.opType === 'Where' && swappedTests.has(n.inputs[0]!) ? { ...n, inputs: [n.inputs[0]!, n.inputs[2]!, n.inputs[1]!] } : n,
  );
  return { ...m, graph: { ...m.graph, initializers, nodes: swapped } };
}

describe('written against the decoded graph, not today’s op list', () => {
  it('[out, in] Gemm with transB = 1 and Equal(x, x), or [in, out] and IsNaN: the same predictions and attributions (1e-6)', async () => {
    const original = smallModel('multiclass', 'relu');
    const variant = otherForm(original);
    expect(original.graph.nodes.filter((n) => n.opType === 'Gemm').every((n) => n.attributes.transB?.value === 1)).toBe(true);
    expect(variant.graph.nodes.some((n) => n.opType === 'IsNaN')).toBe(true);
    expect(variant.graph.nodes.filter((n) => n.opType === 'Gemm').every((n) => n.attributes.transB?.value === 0)).toBe(true);
    const rows = [...ROWS, [Number.NaN, 2500, 1, Number.NaN]];
    const [p, q] = await Promise.all([runRows(original, rows), runRows(variant, rows)]);
    expect(q.probabilities).toEqual(p.probabilities!.map((v) => expect.closeTo(v, 6)));
    for (const method of ['gradient', 'integrated-gradients'] as const) {
      const [a, b] = await Promise.all([
        runRows(buildExplainModel(original, { method }).model, rows),
        runRows(buildExplainModel(variant, { method }).model, rows),
      ]);
      expect(b[EXPLAIN_IO.attributions]).toEqual(a[EXPLAIN_IO.attributions]!.map((v) => expect.closeTo(v, 6)));
    }
  });
});

describe('a regression model whose output is un-scaled in the graph (× scale + centre)', () => {
  it('attributions are scale × those of the scaled model, and still sum to the change', async () => {
    const m = smallModel('regression', 'relu');
    const initializers = new Map(m.graph.initializers);
    initializers.set('target_scale', { dtype: DataType.FLOAT, dims: [1], data: Float32Array.from([7.5]) });
    initializers.set('target_center', { dtype: DataType.FLOAT, dims: [1], data: Float32Array.from([100]) });
    const nodes = [
      ...m.graph.nodes.map((n) => (n.outputs[0] === 'prediction' ? { ...n, outputs: ['scaled_prediction'] } : n)),
      { opType: 'Mul', name: 'unscale_mul', inputs: ['scaled_prediction', 'target_scale'], outputs: ['unscaled'], attributes: {} },
      { opType: 'Add', name: 'unscale_add', inputs: ['unscaled', 'target_center'], outputs: ['prediction'], attributes: {} },
    ];
    const unscaled: Model = { ...m, graph: { ...m.graph, initializers, nodes } };
    const [a, b] = await Promise.all([runRows(buildExplainModel(m).model, ROWS), runRows(buildExplainModel(unscaled).model, ROWS)]);
    expect(b[EXPLAIN_IO.output]).toEqual(a[EXPLAIN_IO.output]!.map((v) => expect.closeTo(7.5 * v + 100, 3)));
    expect(b[EXPLAIN_IO.attributions]).toEqual(a[EXPLAIN_IO.attributions]!.map((v) => expect.closeTo(7.5 * v, 4)));
    ROWS.forEach((_, r) => {
      const change = b[EXPLAIN_IO.output]![r]! - b[EXPLAIN_IO.baselineOutput]![r]!;
      expect(Math.abs(rowSum(b[EXPLAIN_IO.attributions]!, r) - change)).toBeLessThan(0.01 * Math.abs(change));
    });
  });
});

describe('a gradient rule that cannot differentiate its node', () => {
  it('Gather along columns on the way from the input: an ExplainError that says why, not a crash', () => {
    const b = new GraphBuilder('columns');
    const x = b.input('x', DataType.FLOAT, ['N', 3]);
    const picked = b.op('Gather', [x, b.constant([2, 0], DataType.INT64)], { axis: attr.int(1) });
    const w = b.initializer('w', { dtype: DataType.FLOAT, dims: [2, 2], data: Float32Array.from([1, 2, 3, 4]) });
    b.output(b.op('Softmax', [b.op('MatMul', [picked, w])], { axis: attr.int(-1) }), 'scores');
    const build = () => buildExplainModel(makeModel(b.build()));
    expect(build).toThrow(ExplainError);
    expect(build).toThrow(/the gradient of the output cannot be built: Gather: gradients are implemented for 1-D indices into the rows/);
  });
});
