import { onnx } from './proto.js';
import type { onnx as P } from 'onnx-proto';
import type { TensorArray } from './dtype.js';
import { type Attribute, DEFAULT_IR_VERSION, type Graph, type Model, type Node, type TensorData, type Value } from './graph.js';

const AttrType = onnx.AttributeProto.AttributeType;

function bytesOf(data: TensorArray): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A TensorData as a TensorProto (raw little-endian bytes, the compact form every runtime reads). */
export function encodeTensor(name: string, t: TensorData): P.ITensorProto {
  return { name, dims: [...t.dims], dataType: t.dtype, rawData: bytesOf(t.data) };
}

function encodeValue(v: Value): P.IValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: v.dtype,
        shape: { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
    ...(v.docString ? { docString: v.docString } : {}),
  };
}

function encodeAttribute(name: string, a: Attribute): P.IAttributeProto {
  switch (a.kind) {
    case 'int':
      return { name, type: AttrType.INT, i: a.value };
    case 'float':
      return { name, type: AttrType.FLOAT, f: a.value };
    case 'string':
      return { name, type: AttrType.STRING, s: new TextEncoder().encode(a.value) };
    case 'ints':
      return { name, type: AttrType.INTS, ints: [...a.value] };
    case 'floats':
      return { name, type: AttrType.FLOATS, floats: [...a.value] };
    case 'tensor':
      return { name, type: AttrType.TENSOR, t: encodeTensor('', a.value) };
    case 'graph':
      return { name, type: AttrType.GRAPH, g: encodeGraph(a.value) };
  }
}

function encodeNode(n: Node): P.INodeProto {
  return {
    opType: n.opType,
    name: n.name,
    input: [...n.inputs],
    output: [...n.outputs],
    attribute: Object.entries(n.attributes).map(([k, a]) => encodeAttribute(k, a)),
    domain: n.domain ?? '',
    ...(n.docString ? { docString: n.docString } : {}),
  };
}

/** A Graph as a GraphProto. */
export function encodeGraph(g: Graph): P.IGraphProto {
  return {
    name: g.name,
    input: g.inputs.map(encodeValue),
    output: g.outputs.map(encodeValue),
    initializer: [...g.initializers].map(([name, t]) => encodeTensor(name, t)),
    node: g.nodes.map(encodeNode),
    valueInfo: g.valueInfo.map(encodeValue),
    ...(g.docString ? { docString: g.docString } : {}),
  };
}

/** Serializes a Model to the bytes of an `.onnx` file. */
export function encodeModel(m: Model): Uint8Array {
  const proto: P.IModelProto = {
    irVersion: m.irVersion ?? DEFAULT_IR_VERSION,
    opsetImport: [...m.opsetImports].map(([domain, version]) => ({ domain, version })),
    producerName: m.producerName,
    producerVersion: m.producerVersion,
    graph: encodeGraph(m.graph),
    metadataProps: [...m.metadata].map(([key, value]) => ({ key, value })),
    ...(m.docString ? { docString: m.docString } : {}),
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(proto)).finish();
}
