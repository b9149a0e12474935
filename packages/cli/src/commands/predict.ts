import type { Argv, CommandModule } from 'yargs';
import { COMMANDS } from './command-list.js';
import { UsageError } from '../errors.js';
import type { TextFormat } from '../data/readers/index.js';
import { dirname } from 'node:path';
import { checkOutputTarget, type OutputTarget } from '../io/output-target.js';
import { removeStaleTempFiles } from '../io/stale-temps.js';
import {
  BATCH_SIZE_OPTION,
  INPUT_FORMAT_OPTION,
  MODEL_POSITIONAL,
  VERIFY_OPTION,
  checkInputFormat,
  checkModelDataArgs,
  dataOption,
} from './model-data-options.js';
import { loadInferenceModel } from '../model/inference-model.js';
import { integerOption } from '../options/numbers.js';
import { OUTPUT_FORMATS, OutputFormatter } from '../predict/output.js';
import { predictRows } from '../predict/predict.js';
import { openSink, outputFormat } from '../predict/output-sink.js';
import type { Sink } from '../predict/sink.js';

/** `onnx-mlp predict`'s arguments as parsed by yargs. */
export interface PredictArgs {
  readonly model: string;
  readonly data: string;
  readonly out?: string;
  readonly force: boolean;
  readonly format?: string;
  readonly 'input-format'?: string;
  readonly label?: string;
  readonly 'batch-size': number;
  readonly verify: boolean;
  readonly 'raw-csv': boolean;
}

function options(yargs: Argv) {
  return yargs
    .usage(
      '$0 predict MODEL --data FILE|- [options]\n\nRun an onnx-mlp inference model (model.onnx from a run folder) ' +
        'over the rows of a CSV, TSV, JSON or JSON Lines file, or of standard input, and write one prediction per row as it ' +
        'goes (constant memory): for classifiers the class name and one probability per class (label, p_<class>...), for ' +
        'regression the predicted value(s).',
    )
    .positional('model', MODEL_POSITIONAL)
    .options({
      data: dataOption('Rows to predict: .csv, .tsv, .json, .jsonl, or - for stdin'),
      'input-format': INPUT_FORMAT_OPTION,
      out: { type: 'string', requiresArg: true, describe: 'Write the predictions to this file (complete or not at all) instead of stdout' },
      force: { type: 'boolean', default: false, describe: 'Let --out replace an existing file' },
      format: {
        type: 'string',
        requiresArg: true,
        describe: `Output format: ${OUTPUT_FORMATS.join(' | ')}`,
        defaultDescription: 'jsonl for --out *.jsonl, else csv',
      },
      label: {
        type: 'string',
        requiresArg: true,
        describe: 'A column to leave out of the features (models without preprocessing take every other column)',
      },
      'batch-size': BATCH_SIZE_OPTION,
      verify: VERIFY_OPTION,
      'raw-csv': {
        type: 'boolean',
        default: false,
        describe: "CSV cells as they are: no leading ' on text starting with = + - @ tab or CR (spreadsheet formulas)",
      },
    })
    .check((argv) => {
      checkModelDataArgs(argv, 'predict', ['data', 'out', 'format', 'input-format', 'label']);
      if (argv.format !== undefined && !(OUTPUT_FORMATS as readonly string[]).includes(argv.format)) {
        throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}`);
      }
      checkInputFormat(argv);
      return true;
    })
    .example('$0 predict runs/1/model.onnx --data new.csv', 'CSV predictions on stdout')
    .example('$0 predict model.onnx --data big.csv --out predictions.jsonl', 'JSON Lines into a file, written atomically')
    .example('cat rows.jsonl | $0 predict model.onnx --data - --input-format jsonl', 'rows from a pipe');
}

/** `onnx-mlp predict MODEL --data FILE|-`: streams predictions to stdout or --out. */
export const predictCommand: CommandModule<object, PredictArgs> = {
  command: COMMANDS.predict.command,
  describe: COMMANDS.predict.describe,
  builder: (yargs) => options(yargs) as unknown as Argv<PredictArgs>,
  handler: async (argv) => {
    const batchSize = integerOption('batch-size', argv['batch-size'], 1, 1 << 20);
    const target: OutputTarget =
      argv.out === undefined
        ? { kind: 'stdout' }
        : await checkOutputTarget(argv.out, { force: argv.force, inputs: [argv.data, argv.model], stdout: true });
    if (target.kind === 'file') await removeStaleTempFiles(dirname(target.path));
    const model = await loadInferenceModel(argv.model, 'predict', { verify: argv.verify });
    try {
      const formatter = new OutputFormatter(model, outputFormat(argv.format, argv.out), { rawCsv: argv['raw-csv'] });
      const sink: Sink = await openSink(target, argv.force);
      let rows: number;
      try {
        rows = (
          await predictRows(
            model,
            {
              data: argv.data,
              batchSize,
              ...(argv['input-format'] === undefined ? {} : { format: argv['input-format'] as TextFormat }),
              ...(argv.label === undefined ? {} : { label: argv.label }),
            },
            formatter,
            sink,
          )
        ).rows;
      } catch (e) {
        await sink.abort();
        throw e;
      }
      await sink.close();
      if (target.kind !== 'stdout') process.stdout.write(`${rows} predictions written to ${argv.out}\n`);
    } finally {
      await model.session.release();
    }
  },
};
