/**
 * One row of a command's option table. The yargs declaration, the `--config` file check, the set of
 * options `--resume` accepts and the help text are all derived from the rows, so they cannot drift.
 */

/** What an option's value is: on the command line a list is a comma-separated string; a config file may also give a JSON list. */
export type OptionKind = 'number' | 'string' | 'boolean' | 'list';

/** Checks a value beyond its type (range, choices, non-empty) and returns what the run uses; throws OptionError naming `option`. */
export type ValueCheck<In = never, Out = unknown> = (option: string, value: In) => Out;

/** An option of a command, as its table declares it. */
export interface OptionSpec {
  /** The flag without its dashes, kebab-case: `batch-size`. */
  readonly name: string;
  readonly kind: OptionKind;
  /** The --help heading it is listed under. */
  readonly group: string;
  readonly describe: string;
  /** The value yargs fills in when the option is not given (shown in --help). */
  readonly default?: number | string | boolean;
  /** What --help shows as the default when it is not a plain value (it depends on other options, or is applied later). */
  readonly defaultDescription?: string;
  /** May be given with --resume; every other setting comes from the run being resumed. */
  readonly resumable?: true;
  /** False: a --config file cannot set it (the file itself; what is not a setting of a run). */
  readonly inConfigFile?: false;
  /** Declared for every command by main.ts: listed here for --resume and --config, not declared again. */
  readonly global?: true;
  /** In a --config file, may also be given inside an object under this key: `{"card": {"owner": "..."}}`. */
  readonly section?: string;
  /** Only means something with --data. */
  readonly needsData?: true;
  /** The value's check beyond its type, run where the configuration is resolved. */
  readonly check?: ValueCheck;
}

/** `batch-size` → `batchSize`, as yargs camel-cases option names. */
export type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

type ValueOf<O extends OptionSpec> = O['kind'] extends 'number' ? number : O['kind'] extends 'boolean' ? boolean : string;
type WithDefault<T extends OptionSpec> = Extract<T, { readonly default: unknown }>;
type WithoutDefault<T extends OptionSpec> = Exclude<T, { readonly default: unknown }>;

/** The parsed arguments a table yields, camel-cased as yargs gives them: options with a default are always set. */
export type ArgsOf<Table extends readonly OptionSpec[]> = {
  readonly [O in WithDefault<Table[number]> as CamelCase<O['name']>]: ValueOf<O>;
} & { readonly [O in WithoutDefault<Table[number]> as CamelCase<O['name']>]?: ValueOf<O> | undefined };

/** `batchSize` and `batch-size` both name the option `batch-size`. */
export function optionName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** `batch-size` as yargs' camel-cased argv key, `batchSize`. */
export function camelName(option: string): string {
  return option.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Long option names written on the command line (`--name`, `--name=value`, `--no-name`), kebab-case. */
export function givenOptions(tokens: readonly string[]): Set<string> {
  return new Set(tokens.filter((t) => t.startsWith('--')).map((t) => optionName(t.slice(2).split('=')[0]!.replace(/^no-/, ''))));
}
