import { ExplainError, EXPLAIN_IO, type ExplainFacts, type ExplainOptions, buildExplainModel } from '@onnx-mlp/core/explain';
import { encodeModel, type Model as OnnxModel } from '@onnx-mlp/core';
import type { InferenceSession } from 'onnxruntime-common';
import { WebModelError } from './errors.js';
import type { OrtModule } from './runtime.js';

export type { ExplainOptions } from '@onnx-mlp/core/explain';

/** explainArrays' result: each input column's attribution per row, row-major. */
export interface ArrayExplanation {
  rows: number;
  /** The columns the attributions are for (the raw columns, or `input[i]` for a model without preprocessing). */
  columns: readonly string[];
  /** [rows, columns]: each column's attribution toward the explained output (0 for a missing value). */
  attributions: Float32Array;
  /** Per row, the explained output: the predicted class's probability, or the regression prediction. */
  output: Float32Array;
  /** Per row, the same output at the baseline. Integrated gradients: the attributions sum to output − baselineOutput. */
  baselineOutput: Float32Array;
  /** Classifiers: the explained (predicted) class of each row, by name (or index for a model without class names). */
  classes?: (string | number)[];
  /** Method, steps and baseline used. */
  facts: ExplainFacts;
}

/** One record's explanation. */
export interface Explanation {
  /** Classifiers: the explained (predicted) class. */
  label?: string | number;
  /** The explained output (the class's probability, or the prediction) and its value at the baseline. */
  output: number;
  baselineOutput: number;
  /** Each column's attribution, by column name (0 for a missing value). */
  attributions: Record<string, number>;
  /** The columns whose value was missing (imputed: not explained, attribution 0). */
  missing: string[];
}

/** explainArrays' result per record, with the columns whose raw value (in `input`) was missing. */
export function recordExplanations(out: ArrayExplanation, input: Float32Array): Explanation[] {
  const width = out.columns.length;
  return Array.from(
    { length: out.rows },
    (_, r): Explanation => ({
      ...(out.classes ? { label: out.classes[r]! } : {}),
      output: out.output[r]!,
      baselineOutput: out.baselineOutput[r]!,
      attributions: Object.fromEntries(out.columns.map((c, j) => [c, out.attributions[r * width + j]!])),
      missing: out.columns.filter((_, j) => Number.isNaN(input[r * width + j]!)),
    }),
  );
}

/** What the explainer needs of a loaded model. */
export interface ExplainerParts {
  readonly name: string;
  readonly ort: OrtModule;
  readonly sessionOptions: InferenceSession.SessionOptions;
  readonly decoded: OnnxModel;
}

/** Rows × steps per run, so a long path does not need one huge tensor. */
const POINTS_PER_RUN = 16_384;

/**
 * Builds a model's explain graph (core's buildExplainModel) once per choice of method, steps and
 * baseline, and runs it on the model's runtime: the same ONNX graph `onnx-mlp explain` runs.
 */
export class Explainer {
  private readonly sessions = new Map<string, Promise<{ session: InferenceSession; facts: ExplainFacts }>>();

  constructor(private readonly parts: ExplainerParts) {}

  private open(options: ExplainOptions): Promise<{ session: InferenceSession; facts: ExplainFacts }> {
    const key = JSON.stringify([options.method, options.steps, options.baseline]);
    let opened = this.sessions.get(key);
    if (!opened) {
      opened = this.create(options);
      this.sessions.set(key, opened);
      opened.catch(() => this.sessions.delete(key));
    }
    return opened;
  }

  private async create(options: ExplainOptions): Promise<{ session: InferenceSession; facts: ExplainFacts }> {
    let built: ReturnType<typeof buildExplainModel>;
    try {
      built = buildExplainModel(this.parts.decoded, options);
    } catch (e) {
      if (e instanceof ExplainError) throw new WebModelError('not-explainable', `${this.parts.name}: ${e.message}`, { cause: e });
      throw e;
    }
    try {
      const session = await this.parts.ort.InferenceSession.create(encodeModel(built.model), this.parts.sessionOptions);
      return { session, facts: built.facts };
    } catch (e) {
      throw new WebModelError('runtime', `${this.parts.name}: ONNX Runtime cannot load the explain model (${(e as Error).message})`, {
        cause: e,
      });
    }
  }

  /** Explains `rows` rows of raw input ([rows, width] row-major). */
  async explainArrays(features: Float32Array, rows: number, options: ExplainOptions = {}): Promise<ArrayExplanation> {
    const { session, facts } = await this.open(options);
    const width = facts.columns.length;
    if (!Number.isInteger(rows) || rows < 0 || features.length !== rows * width) {
      throw new WebModelError('bad-input', `explainArrays: ${features.length} values are not ${rows} rows of ${width} columns`);
    }
    const result = { attributions: new Float32Array(rows * width), output: new Float32Array(rows), baselineOutput: new Float32Array(rows) };
    const classes: number[] = [];
    const chunk = Math.max(1, Math.floor(POINTS_PER_RUN / facts.steps));
    for (let start = 0; start < rows; start += chunk) {
      const n = Math.min(chunk, rows - start);
      const tensor = new this.parts.ort.Tensor('float32', features.slice(start * width, (start + n) * width), [n, width]);
      const out = await session.run({ [session.inputNames[0]!]: tensor });
      result.attributions.set(out[EXPLAIN_IO.attributions]!.data as Float32Array, start * width);
      result.output.set(out[EXPLAIN_IO.output]!.data as Float32Array, start);
      result.baselineOutput.set(out[EXPLAIN_IO.baselineOutput]!.data as Float32Array, start);
      const cls = out[EXPLAIN_IO.explainedClass];
      if (cls) classes.push(...Array.from(cls.data as BigInt64Array, Number));
    }
    const names = facts.classNames;
    return {
      rows,
      columns: facts.columns,
      ...result,
      ...(names ? { classes: classes.map((k) => names[k] ?? k) } : {}),
      facts,
    };
  }

  /** Releases the explain sessions opened so far. */
  async release(): Promise<void> {
    const opened = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(opened.map((p) => p.then((s) => s.session.release()).catch(() => undefined)));
  }
}
