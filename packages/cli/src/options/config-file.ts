import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { optionName, type OptionKind, type OptionSpec } from './option-spec.js';
import { echo, quoted } from '../io/echo.js';

/** A value of a config file as the command line would have given it (a list joined with commas). */
export type ConfigValue = number | string | boolean;

/** Options no config file may set besides those the table marks: what is not a setting of a run. */
const NEVER_IN_FILE = new Set(['help', 'version']);

/** A command's name (for messages) and its option table. */
export interface CommandOptions {
  readonly name: string;
  readonly table: readonly OptionSpec[];
}

/** What is wrong with a config file, worded to follow `--config FILE: `. */
class ConfigFileProblem extends Error {}

function describeValue(value: unknown): string {
  return value === null
    ? 'null'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'string'
        ? quoted(value)
        : `${typeof value} ${echo(JSON.stringify(value) ?? String(value))}`;
}

/** One value of the file, as the command line would have given it, or a problem naming the key. */
function configValue(key: string, kind: OptionKind, value: unknown): ConfigValue {
  const bad = (expected: string) => new ConfigFileProblem(`key ${quoted(key)} must be ${expected}, not ${describeValue(value)}`);
  switch (kind) {
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
      if (Array.isArray(value) && value.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))))
        return value.join(',');
      throw bad('a list (["a", "b"]) or a comma-separated string');
  }
}

function readObject(path: string): object {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigFileProblem(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (e as Error).message);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ConfigFileProblem(`not valid JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigFileProblem('must hold one JSON object of options, e.g. {"epochs": 20, "hidden": [64, 32]}');
  }
  return parsed;
}

/**
 * The file's keys, with a section object (`"card": {"owner": "..."}`) opened into its members, named
 * `card.owner`; a member must be an option of that section.
 */
function sectionEntries(file: object, table: readonly OptionSpec[]): [string, string, unknown][] {
  return Object.entries(file).flatMap(([key, value]): [string, string, unknown][] => {
    const members = table.filter((o) => o.section !== undefined && o.section === optionName(key));
    if (members.length === 0) return [[key, key, value]];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ConfigFileProblem(`key ${JSON.stringify(key)} must be an object of ${key} options, not ${describeValue(value)}`);
    }
    return Object.entries(value).map(([member, v]): [string, string, unknown] => {
      if (!members.some((o) => o.name === optionName(member))) {
        const names = members.map((o) => JSON.stringify(o.name)).join(', ');
        throw new ConfigFileProblem(`unknown key ${JSON.stringify(`${key}.${member}`)}; the ${key} keys are ${names}`);
      }
      return [`${key}.${member}`, member, v];
    });
  });
}

/**
 * Reads a config file: a JSON object whose keys are the table's options (camelCase or kebab-case).
 * Returns the options it sets under their kebab-case names; throws ConfigFileProblem for an
 * unreadable file, a key that is not an option (or one a file cannot set), or a value of the wrong type.
 */
function readConfigFile(path: string, command: CommandOptions): Record<string, ConfigValue> {
  const { table, name } = command;
  const options: Record<string, ConfigValue> = {};
  const seen = new Map<string, string>();
  for (const [key, optionKey, value] of sectionEntries(readObject(path), table)) {
    const option = optionName(optionKey);
    const spec = table.find((o) => o.name === option);
    if (NEVER_IN_FILE.has(option) || spec?.inConfigFile === false) {
      throw new ConfigFileProblem(`key ${JSON.stringify(key)} cannot be set in a config file (give --${option} on the command line)`);
    }
    if (spec === undefined) {
      throw new ConfigFileProblem(
        `unknown key ${quoted(key)}; the keys are ${name}'s options, e.g. "epochs", "batchSize" or "batch-size", "hidden", "lr"`,
      );
    }
    const earlier = seen.get(option);
    if (earlier !== undefined)
      throw new ConfigFileProblem(`keys ${JSON.stringify(earlier)} and ${JSON.stringify(key)} both set --${option}`);
    seen.set(option, key);
    options[option] = configValue(key, spec.kind, value);
  }
  return options;
}

/**
 * `--config FILE` through yargs' `.config()`: yargs merges the file's options under the command line
 * and over the defaults. A bad file is held back, not thrown, because yargs would report a parser's
 * error as a malformed command line (exit 2); `check` throws it afterwards as a UserError (exit 1)
 * naming the file as the user wrote it (yargs hands the parser the resolved path).
 */
export class ConfigFileOption {
  private problem: ConfigFileProblem | null = null;
  private read = false;

  constructor(private readonly command: CommandOptions) {}

  /** yargs' `configParser`: the file's options, or none when the file is bad (see `check`). */
  readonly parse = (resolvedPath: string): Record<string, ConfigValue> => {
    this.read = true;
    try {
      return readConfigFile(resolvedPath, this.command);
    } catch (e) {
      if (!(e instanceof ConfigFileProblem)) throw e;
      this.problem = e;
      return {};
    }
  };

  /** Throws what is wrong with the file given as `--config path` (yargs skips an empty path: no such file). */
  check(path: string | undefined): void {
    if (path === undefined) return;
    const problem = this.problem ?? (this.read ? null : new ConfigFileProblem('no such file'));
    if (problem) throw new UserError(`--config ${path}: ${problem.message}`);
  }
}
