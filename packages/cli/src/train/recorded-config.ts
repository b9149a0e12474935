// config.json of a run folder, read back by --resume: parsed and checked field by field, so that a
// corrupt file is named rather than failing somewhere later with a TypeError.
import { mlpSpec, type MlpSpec } from '@onnx-mlp/core';
import { validateOptimizer } from '@onnx-mlp/core/optimizers';
import { UserError } from '../errors.js';
import { echo } from '../io/echo.js';
import { checkOption } from './train-options.js';

/** A run folder's config.json that is not what train writes (bad JSON, a missing or mistyped field). */
function corrupt(path: string, reason: string): UserError {
  return new UserError(`${path} is corrupt (${reason}): it is not a config.json written by onnx-mlp train`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string');
const optional = (ok: (v: unknown) => boolean) => (v: unknown) => v === undefined || v === null || ok(v);
const isString = (v: unknown): boolean => typeof v === 'string';

type FieldCheck = readonly [field: string, ok: (v: unknown) => boolean, wanted: string];

/** The top-level fields resume reads, with the type each must have. */
const FIELD_CHECKS: readonly FieldCheck[] = [
  ['epochs', (v) => Number.isInteger(v) && (v as number) >= 1, 'a positive integer'],
  ['batchSize', (v) => Number.isInteger(v) && (v as number) >= 1, 'a positive integer'],
  ['seed', (v) => Number.isInteger(v) && (v as number) >= 0, 'an integer >= 0'],
  ['spec', isObject, 'an object'],
  ['optimizer', isObject, 'an object'],
  ['dataset', optional((v) => isObject(v) && typeof v.file === 'string'), 'null or an object naming its file'],
  ['schedule', optional((v) => isObject(v) && typeof v.name === 'string'), 'an object'],
  ['earlyStopping', optional(isObject), 'null or an object'],
  ['valSplit', optional((v) => typeof v === 'number'), 'null or a number'],
  ['signKey', optional(isString), 'null or a file name'],
  ['classWeights', optional((v) => Array.isArray(v) && v.every((w) => typeof w === 'number' && w >= 0)), 'null or a list of weights'],
];

/** The fields of `dataset` (the data options), with the type each must have when present. */
const DATASET_CHECKS: readonly FieldCheck[] = [
  ['label', optional((v) => isString(v) || isStrings(v)), 'a column name'],
  ['labels', optional(isString), 'null or a file name'],
  ['val', optional(isString), 'null or a file name'],
  ['test', optional(isString), 'null or a file name'],
  ['features', (v) => v === null || isStrings(v), 'null or a list of column names'],
  ['exclude', isStrings, 'a list of column names'],
  ['categorical', isStrings, 'a list of column names'],
  ['missingCategory', optional((v) => typeof v === 'boolean'), 'true or false'],
  ['stream', optional(isObject), 'an object'],
];

/** The first field of `object` that fails its check, as a reason. */
function firstBadField(object: Record<string, unknown>, checks: readonly FieldCheck[], prefix: string): string | null {
  for (const [field, ok, wanted] of checks) {
    if (!ok(object[field])) return `${prefix}${field} is ${echo(JSON.stringify(object[field]) ?? 'missing')}, not ${wanted}`;
  }
  return null;
}

/** The values train's option table would refuse on the command line, checked by the same checks. */
function checkValues(c: Record<string, unknown>): void {
  const d = c.dataset as Record<string, unknown> | null | undefined;
  const schedule = c.schedule as Record<string, unknown> | undefined;
  const early = c.earlyStopping as Record<string, unknown> | null | undefined;
  mlpSpec(c.spec as unknown as MlpSpec);
  validateOptimizer(c.optimizer as never);
  if (schedule) checkOption('schedule', schedule.name as never);
  if (schedule) checkOption('warmup', schedule.warmup as never);
  if (c.clipNorm !== null && c.clipNorm !== undefined) checkOption('clip-norm', c.clipNorm as never);
  if (early) checkOption('early-stopping', early.patience as never);
  if (early) checkOption('min-delta', early.minDelta as never);
  if (!d) return;
  checkOption('task', d.task as never);
  checkOption('scaling', d.scaling as never);
  checkOption('impute', d.impute as never);
  if (d.testSplit !== null && d.testSplit !== undefined) checkOption('test-split', d.testSplit as never);
  if (d.stream) checkOption('shuffle-buffer', (d.stream as Record<string, unknown>).shuffleBuffer as never);
}

/** Parses config.json (`text`, read from `path`), naming the file and the first problem when it is corrupt. */
export function parseRecordedConfig(path: string, text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw corrupt(path, `not JSON: ${(e as Error).message}`);
  }
  if (!isObject(parsed)) throw corrupt(path, 'not a JSON object');
  const bad =
    firstBadField(parsed, FIELD_CHECKS, '') ??
    (isObject(parsed.dataset) ? firstBadField(parsed.dataset, DATASET_CHECKS, 'dataset.') : null);
  if (bad !== null) throw corrupt(path, bad);
  try {
    checkValues(parsed);
  } catch (e) {
    throw corrupt(path, (e as Error).message);
  }
  return parsed;
}
