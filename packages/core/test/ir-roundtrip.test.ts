import { describe, expect, it } from 'vitest';
import {
  type Model,
  ModelDecodeError,
  buildInferenceModel,
  buildTrainingArtifacts,
  decodeModel,
  encodeModel,
  mlpSpec,
  optimizerConfig,
} from '@onnx-mlp/core';
import { DataType, type Graph, GraphBuilder, type TensorArray, type TensorData, attr, makeModel } from '@onnx-mlp/core/ir';
import { Rng, initParameters } from '@onnx-mlp/core/model';
import { buildTrainStep } from '@onnx-mlp/core/artifacts';

const bytesOf = (a: TensorArray) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

function float32WithNanPayload(): Float32Array {
  const a = Float32Array.from([-0, 0, Infinity, -Infinity, 1e-45, 3.4028234663852886e38, 0.1, -2.5]);
  new Uint32Array(a.buffer)[1] = 0x7fc00123; // a NaN with a payload, which a lossy path would canonicalise
  return a;
}

const initializers = new Map<string, TensorData>([
  ['w32', { dtype: DataType.FLOAT, dims: [4, 2], data: float32WithNanPayload() }],
  [
    'i64',
    {
      dtype: DataType.INT64,
      dims: [6],
      data: BigInt64Array.from([-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 2n ** 53n + 1n, 42n]),
    },
  ],
  ['f64', { dtype: DataType.DOUBLE, dims: [2, 3], data: Float64Array.from([-0, NaN, Infinity, 5e-324, Math.PI, -1e308]) }],
  ['i32', { dtype: DataType.INT32, dims: [3], data: Int32Array.from([-(2 ** 31), 2 ** 31 - 1, 7]) }],
  ['flags', { dtype: DataType.BOOL, dims: [3], data: Uint8Array.from([1, 0, 1]) }],
  ['scalar', { dtype: DataType.FLOAT, dims: [], data: Float32Array.of(0) }],
]);

const subgraph: Graph = {
  name: 'body',
  inputs: [{ name: 'sx', dtype: DataType.FLOAT, shape: [] }],
  outputs: [{ name: 'sy', dtype: DataType.FLOAT, shape: [] }],
  initializers: new Map(),
  nodes: [{ opType: 'Neg', name: 'neg', inputs: ['sx'], outputs: ['sy'], attributes: {} }],
  valueInfo: [],
};

const graph: Graph = {
  name: 'everything',
  docString: 'a graph that uses every field onnx-mlp writes',
  inputs: [
    { name: 'x', dtype: DataType.FLOAT, shape: ['batch', 4] },
    { name: 'ids', dtype: DataType.INT64, shape: ['batch'] },
    { name: 'd', dtype: DataType.DOUBLE, shape: [2, 'n', 3] },
  ],
  outputs: [
    { name: 'out', dtype: DataType.FLOAT, shape: ['batch', 2] },
    { name: 'total', dtype: DataType.DOUBLE, shape: [] },
  ],
  initializers,
  nodes: [
    { opType: 'MatMul', name: 'mm', inputs: ['x', 'w32'], outputs: ['out'], attributes: {} },
    {
      opType: 'Custom',
      name: 'custom',
      domain: 'com.example',
      docString: 'attribute zoo',
      inputs: ['d', '', 'f64'],
      outputs: ['total', 'unused'],
      attributes: {
        axis: attr.int(-3),
        big: attr.int(2 ** 40),
        alpha: attr.float(0.1),
        two: attr.float(2), // an integral float must stay a float
        perm: attr.ints([-1, 0, 2 ** 40]),
        scales: attr.floats([0.5, 0.1, -1e-3]),
        mode: attr.string('héllo ✓ ünïcode'),
        value: attr.tensor({ dtype: DataType.DOUBLE, dims: [2], data: Float64Array.of(1.25, -0) }),
        body: attr.graph(subgraph),
      },
    },
  ],
  valueInfo: [{ name: 'unused', dtype: DataType.DOUBLE, shape: ['k'] }],
};

const model: Model = {
  graph,
  irVersion: 9,
  opsetImports: new Map([
    ['', 17],
    ['com.example', 3],
  ]),
  producerName: 'onnx-mlp-test',
  producerVersion: '9.8.7',
  docString: 'model doc',
  metadata: new Map([
    ['onnx_mlp.kind', 'inference'],
    ['unicode', 'π ≈ 3.14159'],
    ['empty', ''],
    ['json', '{"a":[1,2]}'],
  ]),
};

describe('encodeModel -> decodeModel round trip', () => {
  const decoded = decodeModel(encodeModel(model));

  it('keeps IR version, opset imports (every domain), producer, doc string and metadata', () => {
    expect(decoded.irVersion).toBe(9);
    expect([...decoded.opsetImports]).toEqual([
      ['', 17],
      ['com.example', 3],
    ]);
    expect(decoded.producerName).toBe('onnx-mlp-test');
    expect(decoded.producerVersion).toBe('9.8.7');
    expect(decoded.docString).toBe('model doc');
    expect([...decoded.metadata]).toEqual([...model.metadata]);
  });

  it('keeps inputs and outputs: names, dtypes, static and symbolic dims, scalars', () => {
    expect(decoded.graph.name).toBe('everything');
    expect(decoded.graph.docString).toBe(graph.docString);
    expect(decoded.graph.inputs).toEqual(graph.inputs);
    expect(decoded.graph.outputs).toEqual(graph.outputs);
    expect(decoded.graph.valueInfo).toEqual(graph.valueInfo);
    // A scalar output has an empty shape, not a missing one; dims are numbers, never Longs.
    expect(decoded.graph.outputs[1]!.shape).toEqual([]);
    expect(typeof decoded.graph.inputs[2]!.shape[0]).toBe('number');
  });

  it('keeps initializers bit-exact (float32 with NaN payload and -0, int64 extremes, float64, int32, bool)', () => {
    expect([...decoded.graph.initializers.keys()]).toEqual([...initializers.keys()]);
    for (const [name, t] of initializers) {
      const d = decoded.graph.initializers.get(name)!;
      expect(d.dtype, name).toBe(t.dtype);
      expect(d.dims, name).toEqual(t.dims);
      expect(d.data.constructor, name).toBe(t.data.constructor);
      expect(bytesOf(d.data), name).toEqual(bytesOf(t.data));
    }
    const i64 = decoded.graph.initializers.get('i64')!.data as BigInt64Array;
    expect(i64[0]).toBe(-(2n ** 63n));
    expect(i64[4]).toBe(2n ** 53n + 1n);
    expect(Object.is((decoded.graph.initializers.get('f64')!.data as Float64Array)[0], -0)).toBe(true);
  });

  it('keeps nodes: op, name, inputs (with an omitted optional one), outputs, domain, doc string', () => {
    const [mm, custom] = decoded.graph.nodes;
    expect(mm).toEqual(graph.nodes[0]);
    expect(custom!.opType).toBe('Custom');
    expect(custom!.name).toBe('custom');
    expect(custom!.domain).toBe('com.example');
    expect(custom!.docString).toBe('attribute zoo');
    expect(custom!.inputs).toEqual(['d', '', 'f64']);
    expect(custom!.outputs).toEqual(['total', 'unused']);
  });

  it('keeps attributes: int, float (as float32), ints, floats, string (UTF-8), tensor, graph', () => {
    const a = decoded.graph.nodes[1]!.attributes;
    expect(Object.keys(a)).toEqual(Object.keys(graph.nodes[1]!.attributes));
    expect(a.axis).toEqual({ kind: 'int', value: -3 });
    expect(a.big).toEqual({ kind: 'int', value: 2 ** 40 });
    // ONNX stores float attributes as float32.
    expect(a.alpha).toEqual({ kind: 'float', value: Math.fround(0.1) });
    expect(a.two).toEqual({ kind: 'float', value: 2 });
    expect(a.perm).toEqual({ kind: 'ints', value: [-1, 0, 2 ** 40] });
    expect(a.scales).toEqual({ kind: 'floats', value: [0.5, 0.1, -1e-3].map(Math.fround) });
    expect(a.mode).toEqual({ kind: 'string', value: 'héllo ✓ ünïcode' });
    expect(a.value!.kind).toBe('tensor');
    const t = (a.value as { value: TensorData }).value;
    expect(t.dims).toEqual([2]);
    expect(bytesOf(t.data)).toEqual(bytesOf(Float64Array.of(1.25, -0)));
    expect(a.body!.kind).toBe('graph');
    expect((a.body as { value: Graph }).value).toEqual(subgraph);
  });

  it('re-encoding a decoded model gives the same bytes (hand-made graph, train step, epoch Loop, eval, inference model)', () => {
    const spec = mlpSpec({ inputs: 6, hidden: [5, 4], outputs: 3, activation: 'gelu', dropout: 0.2 });
    const artifacts = buildTrainingArtifacts(spec, optimizerConfig('adamw'));
    const inference = buildInferenceModel(spec, initParameters(spec, new Rng(1)), { classNames: ['a', 'b', 'c'] });
    for (const m of [model, artifacts.trainingModel, artifacts.epochModel, artifacts.evalModel, inference]) {
      const bytes = encodeModel(m);
      expect(Buffer.from(encodeModel(decodeModel(bytes))).equals(Buffer.from(bytes))).toBe(true);
    }
  });
});

describe('decodeModel rejects what is not an ONNX model with ModelDecodeError', () => {
  const bytes = encodeModel(model);

  it('200 seeded random byte strings (16..527 bytes)', () => {
    const kinds = new Set<string>();
    for (let seed = 0; seed < 200; seed++) {
      const r = new Rng(seed);
      const buf = Uint8Array.from({ length: 16 + r.int(512) }, () => r.int(256));
      try {
        decodeModel(buf);
        kinds.add('decoded');
      } catch (e) {
        kinds.add((e as Error).constructor.name);
      }
    }
    expect([...kinds]).toEqual(['ModelDecodeError']);
  });

  it('a file truncated to half, to 10 bytes, one byte short; and empty bytes', () => {
    for (const n of [Math.floor(bytes.length / 2), 10, bytes.length - 1, 0]) {
      expect(() => decodeModel(bytes.subarray(0, n)), `prefix of ${n} bytes`).toThrow(ModelDecodeError);
    }
  });

  it('every prefix either throws ModelDecodeError or (cut exactly between trailing fields) keeps the whole graph', () => {
    let decodedPrefixes = 0;
    for (let n = 0; n < bytes.length; n++) {
      let m: Model;
      try {
        m = decodeModel(bytes.subarray(0, n));
      } catch (e) {
        expect(e, `prefix of ${n} bytes`).toBeInstanceOf(ModelDecodeError);
        continue;
      }
      decodedPrefixes++;
      expect(m.graph.nodes.length, `prefix of ${n} bytes`).toBe(2);
      expect([...m.graph.initializers.keys()]).toEqual([...initializers.keys()]);
    }
    // Only the cuts between the metadata entries and before the doc string land on field boundaries.
    expect(decodedPrefixes).toBeLessThan(8);
  });

  it('a tensor whose raw data does not fill its element type (3 bytes of float32) throws ModelDecodeError', () => {
    const b = new GraphBuilder('corrupt');
    b.initializer('w', { dtype: DataType.FLOAT, dims: [1], data: new Uint8Array(3) });
    expect(() => decodeModel(encodeModel(makeModel(b.build())))).toThrow(ModelDecodeError);
  });

  it('a tensor whose raw data size disagrees with its dims ([2,2] float32 with 4 bytes) throws ModelDecodeError', () => {
    const b = new GraphBuilder('corrupt');
    b.initializer('w', { dtype: DataType.FLOAT, dims: [2, 2], data: Float32Array.of(1) });
    expect(() => decodeModel(encodeModel(makeModel(b.build())))).toThrow(ModelDecodeError);
  });
});

describe('GraphBuilder naming', () => {
  function smallGraph(): Uint8Array {
    const b = new GraphBuilder('g');
    const x = b.input('x', DataType.FLOAT, ['batch', 3]);
    const h = b.scoped('layer', () => b.op('Relu', [b.op('Add', [x, b.constant([1, 2, 3], DataType.FLOAT)])]));
    const y = b.op('Mul', [h, b.constant(0.5, DataType.FLOAT)]);
    b.output(b.op('Add', [y, b.constant(0.5, DataType.FLOAT)]), 'y');
    return encodeModel(makeModel(b.build()));
  }

  it('building the same graph twice gives byte-identical encodings (hand-built, and a whole train step)', () => {
    expect(Buffer.from(smallGraph()).equals(Buffer.from(smallGraph()))).toBe(true);
    const spec = mlpSpec({ inputs: 5, hidden: [4], outputs: 3, dropout: 0.1 });
    const a = encodeModel(buildTrainStep(spec, optimizerConfig('adam')));
    const c = encodeModel(buildTrainStep(spec, optimizerConfig('adam')));
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(true);
  });

  it('generated names are <scope>/<hint>_<n>, and scalar constants are shared', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', DataType.FLOAT, [2]);
    expect(b.op('Relu', [x]).name).toBe('relu_0');
    expect(b.op('Relu', [x]).name).toBe('relu_1');
    expect(b.scoped('layer', () => b.op('Relu', [x]).name)).toBe('layer/relu_0');
    expect(b.constant(0.5, DataType.FLOAT)).toBe(b.constant(0.5, DataType.FLOAT));
    expect(b.constant(0.5, DataType.FLOAT)).not.toBe(b.constant(0.5, DataType.DOUBLE));
  });

  it('a user-given name is never renamed: generated names step around it, scopes do not prefix it', () => {
    const b = new GraphBuilder('g');
    const taken = b.input('relu_0', DataType.FLOAT, [2]);
    const auto = b.op('Relu', [taken]);
    expect(taken.name).toBe('relu_0');
    expect(auto.name).toBe('relu_1');
    const mine = b.scoped('layer', () => b.op('Relu', [auto], {}, { names: ['mine'] }));
    expect(mine.name).toBe('mine');
    const out = b.output(mine, 'prediction');
    expect(out.name).toBe('prediction');
    b.input('const_0', DataType.FLOAT, []);
    expect(b.constant(3, DataType.FLOAT).name).not.toBe('const_0');
    const g = decodeModel(encodeModel(makeModel(b.build()))).graph;
    expect(g.inputs.map((v) => v.name)).toEqual(['relu_0', 'const_0']);
    expect(g.outputs.map((v) => v.name)).toEqual(['prediction']);
    expect(g.nodes.some((n) => n.outputs.includes('mine'))).toBe(true);
  });

  it('throws on a duplicate name (input, initializer, op output, output alias)', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', DataType.FLOAT, [2]);
    expect(() => b.input('x', DataType.FLOAT, [2])).toThrow(/already has a value named x/);
    expect(() => b.initializer('x', { dtype: DataType.FLOAT, dims: [2], data: new Float32Array(2) })).toThrow(/named x/);
    expect(() => b.op('Relu', [x], {}, { names: ['x'] })).toThrow(/named x/);
    const y = b.op('Relu', [x], {}, { names: ['y'] });
    expect(() => b.output(b.op('Neg', [y]), 'y')).toThrow(/named y/);
  });

  it('throws when an op is given a value of another graph', () => {
    const other = new GraphBuilder('other').input('z', DataType.FLOAT, [2]);
    expect(() => new GraphBuilder('g').op('Relu', [other])).toThrow(/z is not a value of graph g/);
  });
});
