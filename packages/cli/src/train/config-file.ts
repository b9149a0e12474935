import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';

/** How a config-file value is checked: the type of the command-line option it stands for. */
export type OptionType = 'number' | 'string' | 'boolean' | 'list';

/** Options a config file cannot set: the file itself, and what is not a setting of a run. */
const NOT_IN_FILE = new Set(['config', 'resume', 'help', 'version']);

/** `batchSize` and `batch-size` both name the option `batch-size`. */
export function optionName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `batch-size` as yargs' camel-cased argv key, `batchSize`. */
export function camelName(option: string): string {
  return option.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'string' ? JSON.stringify(value) : `${typeof value} ${JSON.stringify(value)}`;
}

/** One value of the file, as the command line would have given it, or an error naming the key. */
function valueOf(path: string, key: string, type: OptionType, value: unknown): number | string | boolean {
  const bad = (expected: string) => new UserError(`--config ${path}: key ${JSON.stringify(key)} must be ${expected}, not ${describe(value)}`);
  switch (type) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw bad('a number');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw bad('true or false');
      return value;
    case 'string':
      if (typeof value !== 'string') throw bad('a string');
      return value;
    case 'list':
      // A list option takes "a,b" as on the command line, or a JSON list ["a", "b"] / [128, 64].
      if (typeof value === 'string') return value;
      if (Array.isArray(value) && value.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) return value.join(',');
      throw bad('a list (["a", "b"]) or a comma-separated string');
  }
}

/**
 * Reads `--config FILE`, a JSON object whose keys are train's options (camelCase or kebab-case), and
 * returns `args` with every option the file sets and the command line does not (`given`, kebab-case
 * names) taken from the file: the command line wins, and the file wins over the defaults. An
 * unreadable file, a key that is not an option, or a value of the wrong type is a UserError naming the
 * file and the key.
 */
export async function applyConfigFile<T extends object>(
  path: string, args: T, given: ReadonlySet<string>, types: Readonly<Record<string, OptionType>>,
): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`--config ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UserError(`--config ${path}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UserError(`--config ${path}: must hold one JSON object of options, e.g. {"epochs": 20, "hidden": [64, 32]}`);
  }
  const out: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    const option = optionName(key);
    const type = types[option];
    if (NOT_IN_FILE.has(option)) throw new UserError(`--config ${path}: key ${JSON.stringify(key)} cannot be set in a config file (give --${option} on the command line)`);
    if (type === undefined) {
      throw new UserError(`--config ${path}: unknown key ${JSON.stringify(key)}; the keys are train's options, e.g. "epochs", "batchSize" or "batch-size", "hidden", "lr"`);
    }
    const earlier = seen.get(option);
    if (earlier !== undefined) throw new UserError(`--config ${path}: keys ${JSON.stringify(earlier)} and ${JSON.stringify(key)} both set --${option}`);
    seen.set(option, key);
    const converted = valueOf(path, key, type, value);
    if (given.has(option)) continue;
    out[camelName(option)] = converted;
    out[option] = converted;
  }
  return out as T;
}
