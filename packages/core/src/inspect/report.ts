import { META } from '../artifacts/metadata.js';
import { BYTES_PER_ELEMENT, ORT_TYPE, type DataType } from '../ir/dtype.js';
import { sizeOf, type Graph, type Model, type Value } from '../ir/graph.js';
import { cardSummaryLine } from '../artifacts/card-markdown.js';
import { readCardView } from '../artifacts/model-card.js';
import { missingInputLine } from '../artifacts/missing-input.js';
import type { Preprocessing } from '../preprocess/schema.js';
import { describeOnnxMlp, type OnnxMlpFacts } from './onnx-mlp-facts.js';
import { validatePreprocessing } from '../preprocess/schema.js';
import { summarizePreprocessing, type ColumnSummary } from '../preprocess/summary.js';

/** One graph input or output: symbolic dimensions keep their names (`batch`). */
export interface TensorInfo {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly (number | string)[];
}

/**
 * What `onnx-mlp inspect --json` prints: the facts any ONNX file has, then onnx-mlp's own (role,
 * task, spec, layers, parameters, classNames, training, optimizer, parameterLayout, optimizerState,
 * checkpoint) when its metadata says it is an onnx-mlp file.
 */
export interface InspectReport extends Partial<Omit<OnnxMlpFacts, 'kind'>> {
  readonly file: string;
  readonly bytes: number;
  /** True when the file carries onnx-mlp metadata of a kind inspect understands. */
  readonly onnxMlp: boolean;
  /** Metadata `onnx_mlp.kind` as stored (null when absent). */
  readonly kind: string | null;
  readonly irVersion: number;
  /** Imported operator sets; the default domain '' is written `ai.onnx`. */
  readonly opsets: readonly { readonly domain: string; readonly version: number }[];
  readonly producer: { readonly name: string; readonly version: string };
  readonly docString: string | null;
  readonly graph: { readonly name: string; readonly docString: string | null };
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** Nodes of the main graph, and of the subgraphs inside it (Loop bodies...). */
  readonly nodes: { readonly graph: number; readonly subgraphs: number };
  /** Node count by op type over all graphs, most frequent first. */
  readonly opTypes: Readonly<Record<string, number>>;
  /** Initializers of the main graph: how many, their elements and bytes. */
  readonly initializers: { readonly count: number; readonly elements: number; readonly bytes: number };
  /** Metadata entries that are not onnx-mlp's own (`onnx_mlp.*` ones are decoded below). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Things that look wrong (a parameter count that disagrees, metadata that does not parse). */
  readonly warnings: readonly string[];
  /** The raw columns of the preprocessing baked into the model (metadata onnx_mlp.preprocessing), in input order. */
  readonly preprocessing?: readonly ColumnSummary[];
  /** An export that takes missing cells as a mask: that form in one line (missingInputLine). */
  readonly missingInput?: string;
  /** Inference models: the model card in one line (cardSummaryLine). */
  readonly card?: string;
  /** What `verify` says, in one line (the CLI fills it in: the check is asynchronous). */
  readonly verification?: string;
  /** core's printGraph listing, with --graph. */
  readonly listing?: string;
}

/** The dtype name onnxruntime uses (`float32`, `int64`). */
export function dtypeName(dtype: DataType): string {
  return ORT_TYPE[dtype] ?? `type ${dtype}`;
}

function tensorInfo(v: Value): TensorInfo {
  return { name: v.name, dtype: dtypeName(v.dtype), shape: [...v.shape] };
}

/** Every subgraph held in a node attribute, recursively (Loop/If/Scan bodies). */
function subgraphs(g: Graph): Graph[] {
  return g.nodes.flatMap((n) => Object.values(n.attributes).flatMap((a) => (a.kind === 'graph' ? [a.value, ...subgraphs(a.value)] : [])));
}

function opTypeCounts(graphs: readonly Graph[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const g of graphs) {
    for (const n of g.nodes) {
      const op = n.domain ? `${n.domain}.${n.opType}` : n.opType;
      counts.set(op, (counts.get(op) ?? 0) + 1);
    }
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

/** Everything `inspect` reports about a decoded model. */
export function describeModel(model: Model, file: { path: string; bytes: number }): InspectReport {
  const g = model.graph;
  const nested = subgraphs(g);
  let elements = 0;
  let bytes = 0;
  for (const t of g.initializers.values()) {
    const n = sizeOf(t.dims);
    elements += n;
    bytes += n * BYTES_PER_ELEMENT[t.dtype];
  }
  const warnings: string[] = [];
  const facts = describeOnnxMlp(model, warnings);
  const missingInput = missingInputLine(model);
  return {
    file: file.path,
    bytes: file.bytes,
    onnxMlp: facts !== undefined,
    kind: model.metadata.get(META.kind) ?? null,
    irVersion: model.irVersion,
    opsets: [...model.opsetImports].map(([domain, version]) => ({ domain: domain === '' ? 'ai.onnx' : domain, version })),
    producer: { name: model.producerName, version: model.producerVersion },
    docString: model.docString ?? null,
    graph: { name: g.name, docString: g.docString ?? null },
    inputs: g.inputs.map(tensorInfo),
    outputs: g.outputs.map(tensorInfo),
    nodes: { graph: g.nodes.length, subgraphs: nested.reduce((s, sg) => s + sg.nodes.length, 0) },
    opTypes: opTypeCounts([g, ...nested]),
    initializers: { count: g.initializers.size, elements, bytes },
    metadata: Object.fromEntries([...model.metadata].filter(([k]) => !k.startsWith('onnx_mlp.'))),
    ...(facts ? withoutKind(facts) : {}),
    ...preprocessingFacts(model),
    ...(facts?.kind === 'inference' ? { card: cardSummaryLine(readCardView(model)) } : {}),
    ...(missingInput ? { missingInput } : {}),
    warnings,
  };
}

/** The preprocessing's columns, when the model stores a readable one. */
function preprocessingFacts(model: Model): { preprocessing?: ColumnSummary[] } {
  const text = model.metadata.get(META.preprocessing);
  if (text === undefined) return {};
  try {
    const p = JSON.parse(text) as Preprocessing;
    // Metadata is the file's word, not ours: a malformed schema is not summarized (predict refuses it).
    validatePreprocessing(p);
    return { preprocessing: summarizePreprocessing(p) };
  } catch {
    return {};
  }
}

function withoutKind(facts: OnnxMlpFacts): Omit<OnnxMlpFacts, 'kind'> {
  const { kind: _kind, ...rest } = facts;
  return rest;
}
