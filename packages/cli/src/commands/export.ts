import type { Argv, CommandModule } from 'yargs';
import { MISSING_FORMS } from '@onnx-mlp/core/artifacts';
import { OptionError, UsageError } from '../errors.js';
import { writeMissingExport } from '../export/missing-export.js';
import { readPrivateKey } from '../integrity/keys.js';
import { checkOutputTarget } from '../io/output-target.js';
import { COMMANDS } from './command-list.js';

/** `onnx-mlp export`'s arguments as parsed by yargs. */
export interface ExportArgs {
  readonly model: string;
  readonly missing: string;
  readonly out: string;
  readonly force: boolean;
  readonly 'sign-key'?: string;
}

function options(yargs: Argv) {
  return yargs
    .usage(
      '$0 export MODEL --missing mask --out FILE [--force] [--sign-key KEY.pem]\n\nWrite the same trained model (weights, outputs, ' +
        'classes, card) in another form. --missing mask: missing cells are passed as a second input "missing" of the same shape ' +
        'as "input" (1 = missing, 0 = present; the missing cell itself holds 0) instead of NaN, so the graph needs no NaN test ' +
        "and loads in runtimes that have none (Debian 12's OpenCV 4.6). The file is sealed with its own integrity digest and " +
        'records the digest of the model it came from; it is unsigned unless --sign-key is given.',
    )
    .positional('model', { type: 'string', describe: 'A model.onnx written by onnx-mlp train from --data' })
    .options({
      missing: {
        type: 'string',
        requiresArg: true,
        demandOption: true,
        describe: `How the export takes missing cells: ${MISSING_FORMS.join(' | ')}`,
      },
      out: { type: 'string', requiresArg: true, demandOption: true, describe: 'The .onnx file to write (complete or not at all)' },
      force: { type: 'boolean', default: false, describe: 'Let --out replace an existing file' },
      'sign-key': {
        type: 'string',
        requiresArg: true,
        describe: "Sign the export's integrity digest with this Ed25519 private key (onnx-mlp keygen)",
      },
    })
    .check((argv) => {
      if (typeof argv.model !== 'string' || argv.model === '') throw new UsageError('export needs the path of a model file');
      if (!(MISSING_FORMS as readonly unknown[]).includes(argv.missing))
        throw new UsageError(`--missing must be one of ${MISSING_FORMS.join(', ')}`);
      if (typeof argv.out !== 'string' || argv.out === '') throw new UsageError('--out expects a value');
      return true;
    })
    .example('$0 export runs/1/model.onnx --missing mask --out model-opencv46.onnx', 'a model OpenCV 4.6 loads: input and missing');
}

/** `onnx-mlp export MODEL --missing mask --out FILE`: the model with a `missing` mask input instead of NaN. */
export const exportCommand: CommandModule<object, ExportArgs> = {
  command: COMMANDS.export.command,
  describe: COMMANDS.export.describe,
  builder: (yargs) => options(yargs) as unknown as Argv<ExportArgs>,
  handler: async (argv) => {
    if (argv.missing === 'nan')
      throw new OptionError('missing', 'nan', 'is the form onnx-mlp train writes (NaN in "input"): use the trained model as it is');
    const target = await checkOutputTarget(argv.out, { force: argv.force, inputs: [argv.model], option: 'out', stdout: true });
    const signKey = argv['sign-key'];
    const signer = signKey === undefined ? undefined : await readPrivateKey(signKey);
    const result = await writeMissingExport({ model: argv.model, out: argv.out, target, force: argv.force, ...(signer ? { signer } : {}) });
    const signed = signKey === undefined ? 'unsigned' : `signed with ${signKey}`;
    // The line goes where it does not mix with the model: stderr when the model goes to stdout.
    (target.kind === 'stdout' ? process.stderr : process.stdout).write(
      `wrote ${target.kind === 'stdout' ? 'to standard output' : argv.out}: the ${result.task} model of ${argv.model} with missing cells as input "missing" (1 = missing, 0 = present); ` +
        `sha256 ${result.digest}, ${signed}\n`,
    );
  },
};
