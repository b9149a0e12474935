import type { Model } from '../ir/graph.js';
import { META, metadataJson } from './metadata.js';

/**
 * How a model takes missing cells. `nan`: as NaN in `input` (what training writes). `mask`: a second
 * input `missing` [batch, columns] says which cells are missing (1) or present (0); the graph then
 * has no NaN test, for runtimes such as Debian 12's OpenCV 4.6 that cannot run one.
 */
export const MISSING_FORMS = ['nan', 'mask'] as const;
/** One of MISSING_FORMS. */
export type MissingForm = (typeof MISSING_FORMS)[number];

/** The name of the mask form's second graph input. */
export const MISSING_INPUT_NAME = 'missing';

/** Metadata `onnx_mlp.missing_input` of a model in the mask form. */
export interface MissingInput {
  readonly form: 'mask';
  /** The graph input that holds the mask. */
  readonly input: typeof MISSING_INPUT_NAME;
  /** The mask's value for a missing cell, and for a present one. */
  readonly missing: 1;
  readonly present: 0;
  /** What a missing cell's value in `input` must be: ignored, but finite (NaN or ±Infinity would poison the sum). */
  readonly value: 'ignored, finite (0)';
}

/** The metadata entry of the mask form. */
export const MASK_MISSING_INPUT: MissingInput = {
  form: 'mask',
  input: MISSING_INPUT_NAME,
  missing: 1,
  present: 0,
  value: 'ignored, finite (0)',
};

/** Metadata `onnx_mlp.exported_from`: the model an export was made from. */
export interface ExportedFrom {
  /** The source model's integrity digest (SHA-256, what `verify` prints for it). */
  readonly digest: string;
  /** The fingerprint of the key that had signed the source, when it was signed. */
  readonly signedBy?: string;
}

/** The doc strings of the mask form's two inputs, as Netron shows them. */
export const MASK_INPUT_DOCS = {
  input:
    'One row per record, one float per raw column of metadata onnx_mlp.preprocessing, encoded as for the trained model ' +
    '(numbers, booleans as 0/1, categories as their vocabulary index). A missing cell holds any finite number (0): ' +
    'where `missing` is 1 its value is ignored. No NaN.',
  missing: 'Same shape as `input`: 1 where the cell is missing (the model imputes it as trained), 0 where it holds a value.',
} as const;

/**
 * The mask form's two feeds from raw rows that mark a missing cell with NaN (as `input` takes it in
 * the NaN form): `input` with 0 in those cells and `missing` with 1 there, in one pass.
 */
export function maskMissingCells(raw: Float32Array): { input: Float32Array; missing: Float32Array } {
  const input = new Float32Array(raw.length);
  const missing = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i]!;
    if (Number.isNaN(v)) missing[i] = 1;
    else input[i] = v;
  }
  return { input, missing };
}

/** The model's missing-value form: `mask` when its metadata says so and the graph has the `missing` input, else `nan`. */
export function missingForm(model: Model): MissingForm {
  const entry = metadataJson(model, META.missingInput) as Partial<MissingInput> | undefined;
  const hasInput = model.graph.inputs.some((v) => v.name === MISSING_INPUT_NAME);
  return entry?.form === 'mask' && hasInput ? 'mask' : 'nan';
}

/** Metadata `onnx_mlp.exported_from` when it is well formed, else null. */
export function readExportedFrom(model: Model): ExportedFrom | null {
  const value = metadataJson(model, META.exportedFrom) as Partial<ExportedFrom> | null | undefined;
  return value && typeof value.digest === 'string' ? (value as ExportedFrom) : null;
}

/**
 * The missing-value form in one line, for `inspect` and the card; null for a model in the NaN form
 * (the form training writes, which says nothing more).
 */
export function missingInputLine(model: Model): string | null {
  if (missingForm(model) !== 'mask') return null;
  const source = readExportedFrom(model);
  const from = source ? `; exported from the model with sha256 ${source.digest}` : '';
  return `a second input "${MISSING_INPUT_NAME}", 1 where a cell is missing (its value in "input" ignored, finite), 0 where present; no NaN${from}`;
}
