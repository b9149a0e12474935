import type { Attribute, Graph, Model, TensorData, Value } from '../ir/graph.js';
import { META } from './metadata.js';

/** The parts of a model a digest covers, in the order `differs` lists them. */
export const INTEGRITY_PARTS = ['graph', 'weights', 'metadata'] as const;
export type IntegrityPart = (typeof INTEGRITY_PARTS)[number];

/** SHA-256 digests (lowercase hex) of a model's parts and of the three together. */
export interface ModelDigests {
  readonly algorithm: 'sha256';
  /** Nodes, inputs and outputs with their types, attributes, opsets and IR version. */
  readonly graph: string;
  /** Every initializer: name, element type, dims and little-endian bytes. */
  readonly weights: string;
  /** Every metadata entry except the integrity and signature entries. */
  readonly metadata: string;
  /** The digest over the three above: what a signature signs. */
  readonly digest: string;
}

/** What `checkIntegrity` found: ok, no stored digest, or which parts no longer match it. */
export interface IntegrityCheck {
  readonly status: 'ok' | 'no-digest' | 'mismatch';
  readonly differs: readonly IntegrityPart[];
  /** The digests recomputed from the model. */
  readonly computed: ModelDigests;
  /** The digests stored in the model, when it has them. */
  readonly stored?: ModelDigests;
}

/** Metadata entries the digest leaves out: the digest itself and the signature made over it. */
const UNSEALED_KEYS: ReadonlySet<string> = new Set([META.integrity, META.signature]);

// Each part starts with its own tag, so equal bytes in two parts never give the same digest.
const TAG = 'onnx-mlp/integrity/v1';

/** Computes the SHA-256 digests of `model`'s graph, weights and metadata (independent of protobuf byte layout). */
export async function computeDigests(model: Model): Promise<ModelDigests> {
  const graph = await sha256Hex(textBytes(`${TAG}/graph\n${canonicalJson(graphSkeleton(model))}`));
  const weights = await sha256Hex(concat([textBytes(`${TAG}/weights\n`), ...initializerBytes(model.graph)]));
  const entries = [...model.metadata].filter(([key]) => !UNSEALED_KEYS.has(key)).sort(([a], [b]) => compare(a, b));
  const metadata = await sha256Hex(textBytes(`${TAG}/metadata\n${JSON.stringify(entries)}`));
  const digest = await sha256Hex(textBytes(`${TAG}\n${graph}\n${weights}\n${metadata}`));
  return { algorithm: 'sha256', graph, weights, metadata, digest };
}

/** Returns `model` with its digests stored in metadata `onnx_mlp.integrity` (a stale signature is dropped). */
export async function sealModel(model: Model): Promise<Model> {
  const digests = await computeDigests(model);
  const metadata = new Map(model.metadata);
  metadata.delete(META.signature);
  metadata.set(META.integrity, JSON.stringify(digests));
  return { ...model, metadata };
}

/** The digests stored in `model`'s metadata, or undefined when it has none (or they are unreadable). */
export function readIntegrity(model: Model): ModelDigests | undefined {
  const text = model.metadata.get(META.integrity);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<ModelDigests>;
    const fields = ['graph', 'weights', 'metadata', 'digest'] as const;
    if (value.algorithm !== 'sha256' || !fields.every((f) => typeof value[f] === 'string')) return undefined;
    return value as ModelDigests;
  } catch {
    return undefined;
  }
}

/** Recomputes `model`'s digests and compares them with the stored ones: which parts differ, if any. */
export async function checkIntegrity(model: Model): Promise<IntegrityCheck> {
  const computed = await computeDigests(model);
  const stored = readIntegrity(model);
  if (!stored) return { status: 'no-digest', differs: [], computed };
  const differs = INTEGRITY_PARTS.filter((part) => stored[part] !== computed[part]);
  const status = differs.length === 0 && stored.digest === computed.digest ? 'ok' : 'mismatch';
  return { status, differs, computed, stored };
}

/** The graph as plain data without its initializers' values (those are the weights part). */
function graphSkeleton(model: Model): unknown {
  return {
    irVersion: model.irVersion,
    opsets: [...model.opsetImports].sort(([a], [b]) => compare(a, b)),
    graph: graphShape(model.graph),
  };
}

function graphShape(g: Graph): unknown {
  return {
    inputs: g.inputs.map(valueShape),
    outputs: g.outputs.map(valueShape),
    // Initializer names and types belong to the wiring; their bytes are hashed as weights (subgraphs' here).
    nodes: g.nodes.map((n) => ({
      opType: n.opType,
      domain: n.domain ?? '',
      name: n.name,
      inputs: n.inputs,
      outputs: n.outputs,
      attributes: Object.keys(n.attributes)
        .sort(compare)
        .map((key) => [key, attributeShape(n.attributes[key]!)]),
    })),
  };
}

function valueShape(v: Value): unknown {
  return [v.name, v.dtype, v.shape];
}

function attributeShape(a: Attribute): unknown {
  switch (a.kind) {
    case 'tensor':
      return { kind: a.kind, tensor: tensorShape(a.value) };
    case 'graph':
      return { kind: a.kind, graph: graphShape(a.value), initializers: [...a.value.initializers].map(([n, t]) => [n, tensorShape(t)]) };
    default:
      return { kind: a.kind, value: a.value };
  }
}

function tensorShape(t: TensorData): unknown {
  return { dtype: t.dtype, dims: t.dims, hex: toHex(tensorBytes(t)) };
}

/** Each initializer, sorted by name: a JSON header (name, dtype, dims, byte count) and its bytes. */
function initializerBytes(g: Graph): Uint8Array[] {
  const names = [...g.initializers.keys()].sort(compare);
  return names.flatMap((name) => {
    const t = g.initializers.get(name)!;
    const data = tensorBytes(t);
    return [textBytes(`${JSON.stringify([name, t.dtype, t.dims, data.byteLength])}\n`), data];
  });
}

/** A tensor's elements as little-endian bytes (typed arrays are little-endian on every platform ONNX Runtime runs on). */
function tensorBytes(t: TensorData): Uint8Array {
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

/** JSON with object keys in a fixed order, bigints as strings and non-finite numbers spelled out. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    return v;
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function textBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 through the Web Crypto API (Node 20+ and browsers), as lowercase hex. */
async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return toHex(new Uint8Array(digest));
}
