import { describe, expect, it } from 'vitest';
import {
  type Model,
  type Task,
  buildInferenceModel,
  decodeModel,
  encodeCheckpoint,
  encodeModel,
  featureWidth,
  fitPreprocessing,
  mlpSpec,
  optimizerConfig,
} from '@onnx-mlp/core';
import { describeOnnxMlp } from '@onnx-mlp/core/inspect';
import { META } from '@onnx-mlp/core/internal';
import { Rng, initParameters, parameterShapes } from '@onnx-mlp/core/model';

// Inference models are written for the widest reach: weights [out, in] with Gemm transB=1 (what
// Debian's OpenCV 4.6 assumes for every Gemm), missing values found by x == x (OpenCV 4.x has no
// IsNaN), one Identity at most before an output. tests/cross-runtime.test.ts runs them everywhere.

const preprocessing = fitPreprocessing([
  { name: 'age', kind: 'numeric', values: [1, Number.NaN, 3, 8] },
  { name: 'city', kind: 'categorical', values: ['a', null, 'b', 'a'] },
]);

function model(task: Task, outputs = task === 'multiclass' ? 3 : 1): { m: Model; params: ReturnType<typeof initParameters> } {
  const spec = mlpSpec({ inputs: featureWidth(preprocessing), hidden: [5, 4], outputs, task });
  const params = initParameters(spec, new Rng(3));
  return { m: decodeModel(encodeModel(buildInferenceModel(spec, params, { preprocessing }))), params };
}

const count = (m: Model, op: string) => m.graph.nodes.filter((n) => n.opType === op).length;

describe('inference models for the widest reach', () => {
  it('stores every weight as [out, in], the transpose of the trained [in, out], read by Gemm transB=1', () => {
    const { m, params } = model('multiclass');
    expect(m.metadata.get(META.weightLayout)).toBe('out_in');
    const gemms = m.graph.nodes.filter((n) => n.opType === 'Gemm');
    expect(gemms).toHaveLength(3);
    for (const g of gemms) expect(g.attributes.transB).toEqual({ kind: 'int', value: 1 });
    const spec = JSON.parse(m.metadata.get(META.spec)!);
    for (const [name, [fanIn, fanOut]] of parameterShapes(spec) as Array<[string, [number, number?]]>) {
      const stored = m.graph.initializers.get(name)!;
      const trained = params.get(name)!.data as Float32Array;
      if (fanOut === undefined) {
        expect(Array.from(stored.data as Float32Array)).toEqual(Array.from(trained));
        continue;
      }
      expect(stored.dims).toEqual([fanOut, fanIn]);
      const s = stored.data as Float32Array;
      for (let i = 0; i < fanIn; i++) for (let o = 0; o < fanOut; o++) expect(s[o * fanIn + i]).toBe(trained[i * fanOut + o]);
    }
  });

  it('finds missing values with Equal(x, x), never IsNaN', () => {
    const { m } = model('binary');
    expect(count(m, 'IsNaN')).toBe(0);
    const selfEqual = m.graph.nodes.filter((n) => n.opType === 'Equal' && n.inputs[0] === n.inputs[1]);
    expect(selfEqual).toHaveLength(2); // the numeric block and the categorical column
  });

  it('ends a regression model with one Identity (logits named prediction), not a chain of two', () => {
    const { m } = model('regression');
    expect(count(m, 'Identity')).toBe(1);
    const identity = m.graph.nodes.find((n) => n.opType === 'Identity')!;
    expect(identity.outputs).toEqual(['prediction']);
    expect(m.graph.nodes.find((n) => n.outputs.includes(identity.inputs[0]!))!.opType).toBe('Gemm');
  });

  it('inspect facts say which layout each file uses and check the shapes in it', () => {
    const { m, params } = model('multiclass');
    const warnings: string[] = [];
    const facts = describeOnnxMlp(m, warnings)!;
    expect(facts.weightLayout).toBe('out_in');
    expect(facts.parameters!.matches).toBe(true);
    expect(warnings).toEqual([]);
    const spec = JSON.parse(m.metadata.get(META.spec)!);
    const checkpoint = decodeModel(
      encodeCheckpoint({
        spec,
        optimizer: optimizerConfig('sgd'),
        parameters: params,
        optimizerState: new Map(),
        epoch: 0,
        step: 0,
        rng: new Rng(1).state(),
        history: [],
      }),
    );
    expect(checkpoint.metadata.get(META.weightLayout)).toBe('in_out');
    const cpFacts = describeOnnxMlp(checkpoint, warnings)!;
    expect([cpFacts.weightLayout, cpFacts.parameters!.matches, warnings]).toEqual(['in_out', true, []]);
  });
});
