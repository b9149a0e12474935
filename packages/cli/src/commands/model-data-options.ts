import { UsageError } from '../errors.js';
import { TEXT_FORMATS } from '../model/data-source.js';

/** The MODEL positional of evaluate and predict. */
export const MODEL_POSITIONAL = { type: 'string', describe: 'The inference model (.onnx)' } as const;

/** The required `--data` option of evaluate and predict, described as the command reads it. */
export function dataOption(describe: string) {
  return { type: 'string', requiresArg: true, demandOption: true, describe } as const;
}

/** `--input-format` as evaluate and predict declare it. */
export const INPUT_FORMAT_OPTION = {
  type: 'string',
  requiresArg: true,
  describe: `Read the data as ${TEXT_FORMATS.join(' | ')}`,
  defaultDescription: 'from the file name (stdin: csv)',
} as const;

/** `--verify` (on by default; `--no-verify` turns it off) as evaluate and predict declare it. */
export const VERIFY_OPTION = {
  type: 'boolean',
  default: true,
  describe: 'Refuse a model whose integrity digest does not match its contents (--no-verify: use it anyway)',
} as const;

/** `--batch-size` as evaluate and predict declare it. */
export const BATCH_SIZE_OPTION = { type: 'number', requiresArg: true, default: 1024, describe: 'Rows per model run' } as const;

/** Checks what evaluate and predict share: a model path, a value after each of `valued`, a numeric --batch-size. */
export function checkModelDataArgs(argv: Readonly<Record<string, unknown>>, command: string, valued: readonly string[]): void {
  if (typeof argv.model !== 'string' || argv.model === '') throw new UsageError(`${command} needs the path of a model file`);
  for (const name of valued) {
    if (argv[name] !== undefined && (typeof argv[name] !== 'string' || argv[name] === ''))
      throw new UsageError(`--${name} expects a value`);
  }
  if (typeof argv['batch-size'] !== 'number' || Number.isNaN(argv['batch-size'])) throw new UsageError('--batch-size expects a number');
}

/** Checks that --input-format, when given, names a text format the readers take. */
export function checkInputFormat(argv: Readonly<Record<string, unknown>>): void {
  const format = argv['input-format'];
  if (format !== undefined && !(TEXT_FORMATS as readonly unknown[]).includes(format)) {
    throw new UsageError(`--input-format must be one of ${TEXT_FORMATS.join(', ')}`);
  }
}
