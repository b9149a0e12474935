import { DataType, allocate } from './dtype.js';
import { type Attributes, DEFAULT_OPSET, type Graph, type Node, type Shape, type TensorData, type Value } from './graph.js';
import { type OpTable, installedOpTable } from './op-table.js';

/** Options of one emitted node. */
export interface OpOptions {
  /** Explicit output names (a user's names are never renamed); an undefined entry gets a fresh name. */
  readonly names?: readonly (string | undefined)[];
  readonly docString?: string;
  /** Overrides the first output's inferred shape where inference cannot see it (a runtime Shape). */
  readonly shape?: Shape;
}

/** Options of one emitted node with several outputs. */
export interface MultiOutputOptions extends OpOptions {
  /** How many of the op's outputs to declare (the first `count`). */
  readonly count: number;
}

/** Options of a builder. */
export interface GraphBuilderOptions {
  /** @defaultValue the parent's, or DEFAULT_OPSET */
  readonly opset?: number;
  /** The graph a subgraph (a Loop body) belongs to. */
  readonly parent?: GraphBuilder;
  /** How to type each op's outputs. @defaultValue the parent's, or the installed table (core's op registry) */
  readonly ops?: OpTable;
}

/**
 * Records a graph node by node, like onnx-ir's Tape: infers each output's type through an op
 * table, gives every value a deterministic name, and dedupes scalar constants.
 */
export class GraphBuilder {
  readonly opset: number;
  private readonly nodes: Node[] = [];
  private readonly values = new Map<string, Value>();
  private readonly inits = new Map<string, TensorData>();
  private readonly graphInputs: Value[] = [];
  private readonly graphOutputs: Value[] = [];
  private readonly constants = new Map<string, Value>();
  private readonly counters: Map<string, number> = new Map();
  private readonly scopes: string[] = [];

  /** Names taken anywhere in this graph or its subgraphs: ONNX wants them unique across scopes. */
  private readonly taken: Set<string>;
  private readonly parent?: GraphBuilder;
  private readonly opTable?: OpTable;

  /**
   * A builder for a top-level graph, or with `parent`, for a subgraph (a Loop body) that may read
   * the parent's values by name and shares its namespace and constants.
   */
  constructor(
    readonly name: string,
    options: GraphBuilderOptions = {},
  ) {
    this.opset = options.opset ?? options.parent?.opset ?? DEFAULT_OPSET;
    this.parent = options.parent;
    this.opTable = options.ops ?? options.parent?.opTable;
    this.taken = options.parent ? options.parent.taken : new Set();
    if (options.parent) this.counters = options.parent.counters;
  }

  /** Declares a graph input (`docString` says what it takes, for a reader of the file). */
  input(name: string, dtype: DataType, shape: Shape, docString?: string): Value {
    const value = this.declare({ name, dtype, shape, ...(docString ? { docString } : {}) });
    this.graphInputs.push(value);
    return value;
  }

  /** Adds a named initializer (a weight baked into the file). */
  initializer(name: string, tensor: TensorData): Value {
    const value = this.declare({ name, dtype: tensor.dtype, shape: tensor.dims });
    this.inits.set(name, tensor);
    return value;
  }

  /** A constant tensor (deduplicated when scalar or small), stored as an initializer. */
  constant(values: number | readonly number[], dtype: DataType, dims?: readonly number[]): Value {
    if (this.parent) return this.parent.constant(values, dtype, dims);
    const list = typeof values === 'number' ? [values] : values;
    const shape = dims ?? (typeof values === 'number' ? [] : [list.length]);
    const key = `${dtype}:${shape.join('x')}:${list.join(',')}`;
    const existing = this.constants.get(key);
    if (existing) return existing;
    const data = allocate(dtype, list.length);
    list.forEach((v, i) => {
      if (data instanceof BigInt64Array) data[i] = BigInt(v);
      else data[i] = v;
    });
    const value = this.initializer(this.fresh('const'), { dtype, dims: shape, data });
    this.constants.set(key, value);
    return value;
  }

  /** Emits one node with a single output and returns that output. */
  op(opType: string, inputs: readonly (Value | undefined)[], attrs: Attributes = {}, options: OpOptions = {}): Value {
    return this.ops(opType, inputs, attrs, { ...options, count: 1 })[0]!;
  }

  /** Emits one node with `options.count` outputs (Dropout's mask, for instance). */
  ops(opType: string, inputs: readonly (Value | undefined)[], attrs: Attributes, options: MultiOutputOptions): Value[] {
    const { count } = options;
    // Resolved at the first op, so that a builder of initializers alone needs no op table.
    const def = (this.opTable ?? installedOpTable())(opType);
    const present = inputs.filter((v): v is Value => v !== undefined);
    for (const v of present) {
      if (!this.lookup(v.name)) throw new Error(`${opType}: input ${v.name} is not a value of graph ${this.name}`);
    }
    const types = def.infer(
      inputs.map((v) => v ?? EMPTY),
      attrs,
      (v) => this.constantData(v),
    );
    const hint = opType.toLowerCase();
    const outputs = types.slice(0, count).map((t, i) =>
      this.declare({
        name: options.names?.[i] ?? this.fresh(hint),
        dtype: t.dtype,
        shape: i === 0 && options.shape ? options.shape : t.shape,
      }),
    );
    this.nodes.push({
      opType,
      name: this.fresh(`node_${opType}`),
      inputs: inputs.map((v) => v?.name ?? ''),
      outputs: outputs.map((v) => v.name),
      attributes: attrs,
      ...(options.docString ? { docString: options.docString } : {}),
    });
    return outputs;
  }

  /** Marks `value` as a graph output, under `name` (through an Identity) when given. */
  output(value: Value, name?: string): Value {
    const out = name && name !== value.name ? this.op('Identity', [value], {}, { names: [name] }) : value;
    this.graphOutputs.push(out);
    return out;
  }

  /** Runs `body` with names prefixed by `scope/`, so a viewer groups a layer's nodes. */
  scoped<T>(scope: string, body: () => T): T {
    this.scopes.push(scope);
    try {
      return body();
    } finally {
      this.scopes.pop();
    }
  }

  /** A new unique name from `hint` (`relu_0`, `layer1/gemm_2`). */
  fresh(hint: string): string {
    const base = [...this.scopes, hint].join('/');
    for (;;) {
      const n = this.counters.get(base) ?? 0;
      this.counters.set(base, n + 1);
      const name = `${base}_${n}`;
      if (!this.taken.has(name)) return name;
    }
  }

  /** The value named `name`. */
  value(name: string): Value {
    const v = this.lookup(name);
    if (!v) throw new Error(`graph ${this.name} has no value ${name}`);
    return v;
  }

  /** The data of `value` when it is an initializer or constant. */
  constantData(value: Value): TensorData | undefined {
    return this.inits.get(value.name) ?? this.parent?.constantData(value);
  }

  private lookup(name: string): Value | undefined {
    return this.values.get(name) ?? this.parent?.lookup(name);
  }

  /** The nodes recorded so far (read-only view, for the differentiator). */
  recordedNodes(): readonly Node[] {
    return this.nodes;
  }

  /** Freezes what was recorded into a Graph. */
  build(docString?: string): Graph {
    const io = new Set([...this.graphInputs, ...this.graphOutputs].map((v) => v.name));
    const valueInfo = [...this.values.values()].filter((v) => !io.has(v.name) && !this.inits.has(v.name));
    return {
      name: this.name,
      inputs: [...this.graphInputs],
      outputs: [...this.graphOutputs],
      initializers: new Map(this.inits),
      nodes: [...this.nodes],
      valueInfo,
      ...(docString ? { docString } : {}),
    };
  }

  private declare(value: Value): Value {
    if (this.taken.has(value.name)) throw new Error(`graph ${this.name} already has a value named ${value.name}`);
    this.taken.add(value.name);
    this.values.set(value.name, value);
    return value;
  }
}

const EMPTY: Value = { name: '', dtype: DataType.FLOAT, shape: [] };
