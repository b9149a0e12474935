import { onnx } from './proto.js';
import type { onnx as P } from 'onnx-proto';
import { BYTES_PER_ELEMENT, DataType, type TensorArray, allocate, fromBytes } from './dtype.js';
import type { Attribute, Graph, Model, Node, TensorData, Value } from './graph.js';
import { OnnxMlpError } from '../errors.js';

type LongLike = number | { toNumber(): number };

function num(x: LongLike | null | undefined): number {
  if (x === null || x === undefined) return 0;
  return typeof x === 'number' ? x : x.toNumber();
}

/** Thrown when bytes are not a readable ONNX model. */
export class ModelDecodeError extends OnnxMlpError {
  constructor(message: string) {
    super(message, { code: 'MODEL_DECODE', userError: true });
    this.name = 'ModelDecodeError';
  }
}

const SUPPORTED = new Set<number>(Object.values(DataType).filter((v) => typeof v === 'number') as number[]);

/** How strictly to decode: `lenient` keeps element types onnx-mlp does not compute with (float16, strings...) as raw bytes. */
export interface DecodeOptions {
  /** @defaultValue false */
  readonly lenient?: boolean;
}

function decodeDtype(elemType: number | null | undefined, what: string, o: DecodeOptions): DataType {
  const t = elemType ?? 0;
  if (!SUPPORTED.has(t) && !o.lenient) throw new ModelDecodeError(`${what}: element type ${t} is not supported by onnx-mlp`);
  return t as DataType;
}

/** A TensorProto as TensorData (raw bytes or the typed repeated fields). */
export function decodeTensor(t: P.ITensorProto, o: DecodeOptions = {}): TensorData {
  const dtype = decodeDtype(t.dataType, `tensor ${t.name ?? ''}`, o);
  if (!SUPPORTED.has(dtype)) {
    // Lenient decoding of a type onnx-mlp does not compute with: keep the raw bytes as they are.
    return { dtype, dims: (t.dims ?? []).map((d) => num(d as LongLike)), data: t.rawData ? Uint8Array.from(t.rawData) : new Uint8Array() };
  }
  const dims = (t.dims ?? []).map((d) => num(d as LongLike));
  const what = `tensor ${t.name || '(unnamed)'}`;
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw new ModelDecodeError(`${what} has invalid dims [${dims}]`);
  const size = dims.reduce((a, b) => a * b, 1);
  let data: TensorArray;
  if (t.rawData && t.rawData.length > 0) {
    if (t.rawData.length !== size * BYTES_PER_ELEMENT[dtype]) {
      throw new ModelDecodeError(
        `${what}: ${t.rawData.length} bytes of data for dims [${dims}] (expected ${size * BYTES_PER_ELEMENT[dtype]})`,
      );
    }
    data = fromBytes(dtype, t.rawData);
  } else {
    data = allocate(dtype, size);
    const source: readonly LongLike[] =
      dtype === DataType.FLOAT
        ? (t.floatData ?? [])
        : dtype === DataType.DOUBLE
          ? (t.doubleData ?? [])
          : dtype === DataType.INT64
            ? ((t.int64Data ?? []) as LongLike[])
            : (t.int32Data ?? []);
    if (source.length !== size && !(size === 0 && source.length === 0)) {
      throw new ModelDecodeError(`${what}: ${source.length} values for dims [${dims}] (expected ${size})`);
    }
    source.forEach((v, i) => {
      if (data instanceof BigInt64Array) data[i] = BigInt(num(v));
      else data[i] = num(v);
    });
  }
  return { dtype, dims, data };
}

function decodeValue(v: P.IValueInfoProto, o: DecodeOptions): Value {
  const tt = v.type?.tensorType;
  // A dim with neither a value nor a name is unknown: '?' rather than a misleading 0.
  const shape = (tt?.shape?.dim ?? []).map((d) =>
    d.dimParam ? d.dimParam : d.dimValue !== null && d.dimValue !== undefined ? num(d.dimValue as LongLike) : '?',
  );
  const value = { name: v.name ?? '', dtype: decodeDtype(tt?.elemType, `value ${v.name ?? ''}`, o), shape };
  return v.docString ? { ...value, docString: v.docString } : value;
}

function decodeAttribute(a: P.IAttributeProto, o: DecodeOptions): Attribute {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.INT:
      return { kind: 'int', value: num(a.i as LongLike) };
    case T.FLOAT:
      return { kind: 'float', value: a.f ?? 0 };
    case T.STRING:
      return { kind: 'string', value: new TextDecoder().decode(a.s ?? new Uint8Array()) };
    case T.INTS:
      return { kind: 'ints', value: (a.ints ?? []).map((x) => num(x as LongLike)) };
    case T.FLOATS:
      return { kind: 'floats', value: [...(a.floats ?? [])] };
    case T.TENSOR:
      return { kind: 'tensor', value: decodeTensor(a.t ?? {}, o) };
    case T.GRAPH:
      return { kind: 'graph', value: decodeGraph(a.g ?? {}, o) };
    default:
      throw new ModelDecodeError(`attribute ${a.name ?? ''} has unsupported type ${a.type}`);
  }
}

function decodeNode(n: P.INodeProto, o: DecodeOptions): Node {
  return {
    opType: n.opType ?? '',
    name: n.name ?? '',
    inputs: [...(n.input ?? [])],
    outputs: [...(n.output ?? [])],
    attributes: Object.fromEntries((n.attribute ?? []).map((a) => [a.name ?? '', decodeAttribute(a, o)])),
    ...(n.domain ? { domain: n.domain } : {}),
    ...(n.docString ? { docString: n.docString } : {}),
  };
}

/** A GraphProto as a Graph. */
export function decodeGraph(g: P.IGraphProto, o: DecodeOptions = {}): Graph {
  return {
    name: g.name ?? '',
    inputs: (g.input ?? []).map((v) => decodeValue(v, o)),
    outputs: (g.output ?? []).map((v) => decodeValue(v, o)),
    initializers: new Map((g.initializer ?? []).map((t) => [t.name ?? '', decodeTensor(t, o)])),
    nodes: (g.node ?? []).map((n) => decodeNode(n, o)),
    valueInfo: (g.valueInfo ?? []).map((v) => decodeValue(v, o)),
    ...(g.docString ? { docString: g.docString } : {}),
  };
}

/** Parses the bytes of an `.onnx` file; throws ModelDecodeError when they are not an ONNX model. */
export function decodeModel(bytes: Uint8Array, options: DecodeOptions = {}): Model {
  let proto: P.ModelProto;
  try {
    proto = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new ModelDecodeError(`not an ONNX model (protobuf decoding failed: ${(e as Error).message})`);
  }
  if (!proto.graph) throw new ModelDecodeError('not an ONNX model (it has no graph)');
  return {
    graph: decodeGraph(proto.graph, options),
    irVersion: num(proto.irVersion as LongLike),
    opsetImports: new Map((proto.opsetImport ?? []).map((o) => [o.domain ?? '', num(o.version as LongLike)])),
    producerName: proto.producerName ?? '',
    producerVersion: proto.producerVersion ?? '',
    ...(proto.docString ? { docString: proto.docString } : {}),
    metadata: new Map((proto.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? ''])),
  };
}
