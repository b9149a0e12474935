import { META } from '../artifacts/metadata.js';
import { sizeOf, type Model } from '../ir/graph.js';
import type { ParameterSlot } from '../model/layout.js';
import { parameterShapes } from '../model/parameters.js';
import { layerName, layerShapes, validateSpec, type MlpSpec, type Task } from '../model/spec.js';
import type { EpochRecord } from '../training/state.js';
import { DEFAULT_WEIGHT_LAYOUT, storedDims, type WeightLayout } from '../model/weight-layout.js';

/** The onnx_mlp.kind values onnx-mlp writes, and what each file is. */
export const ONNX_MLP_KINDS = {
  inference: 'inference model',
  training: 'training step model',
  training_epoch: 'training epoch model (one ONNX Loop over an epoch)',
  eval: 'evaluation model',
  checkpoint: 'checkpoint',
  preprocess: "preprocessing model (raw columns to the training graphs' input)",
} as const;

export type OnnxMlpKind = keyof typeof ONNX_MLP_KINDS;

/** One dense layer of the stored spec. */
export interface LayerInfo {
  readonly name: string;
  readonly inputs: number;
  readonly outputs: number;
  /** The hidden activation, or what the output layer feeds (softmax, sigmoid, linear). */
  readonly activation: string;
  /** Dropout after this layer while training (hidden layers, when the spec has any). */
  readonly dropout?: number;
  /** Weight in*out plus bias out. */
  readonly parameters: number;
}

/** The parameter count of the spec, checked against what the file actually holds. */
export interface ParameterCheck {
  /** Sum of the layers' parameters. */
  readonly total: number;
  /**
   * What the count was checked against: the parameter initializers (inference model, checkpoint)
   * or the flat layout in metadata onnx_mlp.parameters (training, training_epoch, eval models).
   */
  readonly checkedAgainst: 'initializers' | 'layout';
  /** The count found there. */
  readonly found: number;
  /** True when `found` equals `total` and every parameter has the spec's shape. */
  readonly matches: boolean;
  /** Initializers that are not parameters (constants of the graph): how many, how many elements. */
  readonly otherInitializers: { readonly count: number; readonly elements: number };
}

/** A checkpoint's counters and history. */
export interface CheckpointInfo {
  readonly epoch: number;
  readonly step: number;
  readonly historyLength: number;
  readonly lastEpoch: EpochRecord | null;
  /** What the trainer stored about the run (data, class names, seed, batch size). */
  readonly extra: Record<string, unknown>;
}

/** onnx-mlp's own facts about a file, decoded from its `onnx_mlp.*` metadata. */
export interface OnnxMlpFacts {
  readonly kind: OnnxMlpKind;
  /** What the file is, in words. */
  readonly role: string;
  readonly task?: Task;
  readonly spec?: MlpSpec;
  readonly layers?: readonly LayerInfo[];
  readonly parameters?: ParameterCheck;
  readonly classNames?: readonly string[];
  /** Inference models: metadata onnx_mlp.training (data, epochs, seed, test accuracy...). */
  readonly training?: Record<string, unknown>;
  readonly optimizer?: Record<string, unknown>;
  /** Training-side models: where each parameter sits in the flat `parameters` vector. */
  readonly parameterLayout?: readonly ParameterSlot[];
  /** Training models: the optimizer state slots (`m`, `v`); checkpoints: the state tensors' names. */
  readonly optimizerState?: readonly string[];
  readonly checkpoint?: CheckpointInfo;
  /** How the file stores each weight: [in, out] or [out, in] with Gemm transB=1 (metadata onnx_mlp.weight_layout). */
  readonly weightLayout?: WeightLayout;
}

/** Parses metadata `key` as JSON; a missing or broken entry adds a warning and gives undefined. */
function json<T>(model: Model, key: string, warnings: string[], required = false): T | undefined {
  const text = model.metadata.get(key);
  if (text === undefined) {
    if (required) warnings.push(`metadata ${key} is missing`);
    return undefined;
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    warnings.push(`metadata ${key} is not valid JSON (${(e as Error).message})`);
    return undefined;
  }
}

/** A stored list of names, or undefined (with a warning) when the metadata holds something else. */
function nameList(value: unknown, key: string, warnings: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  warnings.push(`metadata ${key} is not a list of names`);
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function outputActivation(task: Task): string {
  return task === 'multiclass' ? 'softmax' : task === 'binary' ? 'sigmoid' : 'linear';
}

/** The dense layers of a spec, input side first. */
export function layersOf(spec: MlpSpec): LayerInfo[] {
  const shapes = layerShapes(spec);
  const hidden = spec.activation === 'leaky_relu' ? `leaky_relu(${spec.leakyReluAlpha})` : spec.activation;
  return shapes.map(([inputs, outputs], i) => {
    const last = i === shapes.length - 1;
    return {
      name: layerName(i, shapes.length),
      inputs,
      outputs,
      activation: last ? outputActivation(spec.task) : hidden,
      ...(!last && spec.dropout > 0 ? { dropout: spec.dropout } : {}),
      parameters: inputs * outputs + outputs,
    };
  });
}

function readSpec(model: Model, warnings: string[]): MlpSpec | undefined {
  const spec = json<MlpSpec>(model, META.spec, warnings, true);
  if (spec === undefined) return undefined;
  try {
    validateSpec(spec);
    return spec;
  } catch (e) {
    warnings.push(`metadata ${META.spec} is not a valid MLP spec (${(e as Error).message})`);
    return undefined;
  }
}

/** Checks that the initializers `names` exist with the spec's shapes (in the file's weight layout); counts their elements. */
function checkInitializers(model: Model, spec: MlpSpec, total: number, warnings: string[]): ParameterCheck {
  const inits = model.graph.initializers;
  const layout = weightLayoutOf(model, warnings);
  const expected = parameterShapes(spec).map(([name, dims]) => [name, storedDims(dims, layout)] as const);
  let found = 0;
  let shapesMatch = true;
  for (const [name, dims] of expected) {
    const t = inits.get(name);
    if (!t) {
      shapesMatch = false;
      warnings.push(`parameter ${name} [${dims.join(', ')}] is not among the initializers`);
      continue;
    }
    found += sizeOf(t.dims);
    if (t.dims.join() !== dims.join()) {
      shapesMatch = false;
      warnings.push(`parameter ${name} has shape [${t.dims.join(', ')}], the spec says [${dims.join(', ')}]`);
    }
  }
  const names = new Set(expected.map(([n]) => n));
  const others = [...inits].filter(([n]) => !names.has(n) && !isOptimizerState(n, names));
  return finish(
    {
      total,
      checkedAgainst: 'initializers',
      found,
      matches: shapesMatch && found === total,
      otherInitializers: { count: others.length, elements: others.reduce((s, [, t]) => s + sizeOf(t.dims), 0) },
    },
    warnings,
  );
}

/** The weight layout metadata states; files written before the key existed are [in, out]. */
function weightLayoutOf(model: Model, warnings: string[]): WeightLayout {
  const stored = model.metadata.get(META.weightLayout);
  if (stored === undefined) return DEFAULT_WEIGHT_LAYOUT;
  if (stored === 'in_out' || stored === 'out_in') return stored;
  warnings.push(`metadata ${META.weightLayout} is ${JSON.stringify(stored)}, not "in_out" or "out_in"`);
  return DEFAULT_WEIGHT_LAYOUT;
}

/** Checkpoint optimizer state tensors are named after the parameter plus a slot (`dense1.weight.m`). */
function isOptimizerState(name: string, parameters: ReadonlySet<string>): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && parameters.has(name.slice(0, dot));
}

/** Checks the flat layout of a training-side model against the spec and its `parameters` input. */
function checkLayout(
  model: Model,
  stored: { spec: MlpSpec; total: number; layout: readonly ParameterSlot[] | undefined },
  warnings: string[],
): ParameterCheck | undefined {
  const { spec, total, layout } = stored;
  if (!Array.isArray(layout)) return undefined;
  const expected = parameterShapes(spec);
  let offset = 0;
  let consistent = layout.length === expected.length;
  for (const [i, slot] of layout.entries()) {
    const [name, dims] = expected[i] ?? [undefined, undefined];
    if (slot.name !== name || slot.dims?.join() !== dims?.join() || slot.offset !== offset || slot.size !== sizeOf(slot.dims ?? [])) {
      consistent = false;
      warnings.push(
        `parameter layout slot ${i} (${slot.name}) does not match the spec (expected ${name ?? 'nothing'} [${dims?.join(', ') ?? ''}] at offset ${offset})`,
      );
    }
    offset += slot.size ?? 0;
  }
  const flat = model.graph.inputs.find((v) => v.name === 'parameters');
  if (flat && (flat.shape.length !== 1 || flat.shape[0] !== total)) {
    consistent = false;
    warnings.push(`input parameters has shape [${flat.shape.join(', ')}], the spec has ${total} parameters`);
  }
  return finish(
    {
      total,
      checkedAgainst: 'layout',
      found: offset,
      matches: consistent && offset === total,
      otherInitializers: {
        count: model.graph.initializers.size,
        elements: [...model.graph.initializers.values()].reduce((s, t) => s + sizeOf(t.dims), 0),
      },
    },
    warnings,
  );
}

function finish(check: ParameterCheck, warnings: string[]): ParameterCheck {
  if (check.found !== check.total) {
    warnings.push(`the spec has ${check.total} parameters but the ${check.checkedAgainst} hold ${check.found}`);
  }
  return check;
}

function checkpointInfo(model: Model, warnings: string[]): CheckpointInfo | undefined {
  const counters = json<Record<string, unknown>>(model, META.checkpoint, warnings, true);
  if (!isObject(counters)) return undefined;
  const history = Array.isArray(counters.history) ? (counters.history as EpochRecord[]) : [];
  return {
    epoch: Number(counters.epoch),
    step: Number(counters.step),
    historyLength: history.length,
    lastEpoch: history.at(-1) ?? null,
    extra: isObject(counters.extra) ? counters.extra : {},
  };
}

/**
 * onnx-mlp's facts about `model`, or undefined when it has no onnx-mlp metadata (or a kind this
 * version does not know, which adds a warning). Problems with the metadata become warnings: inspect
 * reports what it can rather than refusing a file.
 */
export function describeOnnxMlp(model: Model, warnings: string[]): OnnxMlpFacts | undefined {
  const kind = model.metadata.get(META.kind);
  if (kind === undefined) return undefined;
  if (!Object.hasOwn(ONNX_MLP_KINDS, kind)) {
    warnings.push(`metadata ${META.kind} is ${JSON.stringify(kind)}, not a kind this version of onnx-mlp knows`);
    return undefined;
  }
  const k = kind as OnnxMlpKind;
  if (k === 'preprocess') return { kind: k, role: ONNX_MLP_KINDS[k] };
  const spec = readSpec(model, warnings);
  const layers = spec ? layersOf(spec) : undefined;
  const total = layers?.reduce((s, l) => s + l.parameters, 0);
  const optimizer = k === 'eval' || k === 'inference' ? undefined : json<Record<string, unknown>>(model, META.optimizer, warnings, true);
  let parameters: ParameterCheck | undefined;
  let parameterLayout: ParameterSlot[] | undefined;
  let optimizerState: string[] | undefined;
  let checkpoint: CheckpointInfo | undefined;
  // Training-side models of a run carry the class names too (the CLI adds them).
  let classNames = k === 'checkpoint' ? undefined : nameList(json<unknown>(model, META.classNames, warnings), META.classNames, warnings);
  const training = k === 'inference' ? json<Record<string, unknown>>(model, META.training, warnings) : undefined;

  if (k === 'inference' || k === 'checkpoint') {
    if (spec && total !== undefined) parameters = checkInitializers(model, spec, total, warnings);
  } else {
    parameterLayout = json<ParameterSlot[]>(model, META.parameters, warnings, true);
    if (spec && total !== undefined) parameters = checkLayout(model, { spec, total, layout: parameterLayout }, warnings);
    const prefix = 'optimizer_state.';
    const slots = model.graph.inputs.filter((v) => v.name.startsWith(prefix)).map((v) => v.name.slice(prefix.length));
    if (k !== 'eval') optimizerState = slots;
  }
  if (k === 'checkpoint') {
    optimizerState = json<string[]>(model, META.optimizerState, warnings, true);
    checkpoint = checkpointInfo(model, warnings);
    const stored = checkpoint?.extra.classNames;
    if (Array.isArray(stored)) classNames = stored.map(String);
  }
  if (spec && classNames && spec.task !== 'regression') {
    const classes = spec.task === 'binary' ? 2 : spec.outputs;
    if (classNames.length !== classes) warnings.push(`${classNames.length} class names for ${classes} classes`);
  }
  return {
    kind: k,
    role: ONNX_MLP_KINDS[k],
    ...(spec ? { task: spec.task, spec } : {}),
    ...(layers ? { layers } : {}),
    ...(parameters ? { parameters } : {}),
    ...(classNames ? { classNames } : {}),
    ...(training ? { training } : {}),
    ...(optimizer ? { optimizer } : {}),
    ...(parameterLayout ? { parameterLayout } : {}),
    ...(optimizerState ? { optimizerState } : {}),
    ...(checkpoint ? { checkpoint } : {}),
    weightLayout: weightLayoutOf(model, []),
  };
}
