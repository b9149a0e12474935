import { DEFAULT_IR_VERSION, DEFAULT_OPSET, type Graph, type Model } from './graph.js';

/** Options for wrapping a graph into a model file. */
export interface ModelOptions {
  /** @defaultValue 17 */
  readonly opset?: number;
  /** @defaultValue 8 */
  readonly irVersion?: number;
  readonly docString?: string;
  readonly metadata?: ReadonlyMap<string, string> | Record<string, string>;
}

export const PRODUCER_NAME = 'onnx-mlp';
export const PRODUCER_VERSION = '0.1.0';

/** Wraps a graph into a Model that imports only the default ONNX domain. */
export function makeModel(graph: Graph, options: ModelOptions = {}): Model {
  const meta = options.metadata instanceof Map ? options.metadata : new Map(Object.entries(options.metadata ?? {}));
  return {
    graph,
    irVersion: options.irVersion ?? DEFAULT_IR_VERSION,
    opsetImports: new Map([['', options.opset ?? DEFAULT_OPSET]]),
    producerName: PRODUCER_NAME,
    producerVersion: PRODUCER_VERSION,
    metadata: meta,
    ...(options.docString ? { docString: options.docString } : {}),
  };
}
