import type { Argv, CommandModule } from 'yargs';
import { OptionError } from '../errors.js';
import { refuseRepeatedColumns } from '../fairness/sensitive-columns.js';
import { evaluateModel, type EvaluateOptions } from '../evaluate/evaluate.js';
import { columnNames, nonNegative } from '../options/value-checks.js';
import { DEFAULT_FAIRNESS_THRESHOLD } from '../train/config.js';
import { COMMANDS } from './command-list.js';
import { formatEvaluation } from '../evaluate/format-text.js';
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
import type { TextFormat } from '../data/readers/index.js';

/** `onnx-mlp evaluate`'s arguments as parsed by yargs. */
export interface EvaluateArgs {
  readonly model: string;
  readonly data: string;
  readonly label?: string;
  readonly 'input-format'?: string;
  readonly 'batch-size': number;
  readonly verify: boolean;
  readonly json: boolean;
  readonly sensitive?: string;
  readonly 'fairness-threshold'?: number;
}

function options(yargs: Argv) {
  return yargs
    .usage(
      '$0 evaluate MODEL --data FILE [options]\n\nScore an onnx-mlp inference model (model.onnx from a run folder) on a ' +
        'labelled CSV, TSV, JSON or JSON Lines file: accuracy, per-class precision/recall/F1, macro and weighted averages, ' +
        'the confusion matrix and, for two classes, ROC-AUC; for regression MSE, MAE and R².',
    )
    .positional('model', MODEL_POSITIONAL)
    .options({
      data: dataOption('Labelled data: .csv, .tsv, .json, .jsonl (or - for stdin)'),
      label: {
        type: 'string',
        requiresArg: true,
        describe: 'The label column (several regression targets: names separated by commas)',
        defaultDescription: 'the column the model was trained with, else "label"',
      },
      'input-format': INPUT_FORMAT_OPTION,
      'batch-size': BATCH_SIZE_OPTION,
      verify: VERIFY_OPTION,
      json: { type: 'boolean', default: false, describe: 'Print one JSON object instead of the text report' },
      sensitive: {
        type: 'string',
        requiresArg: true,
        describe:
          'Also report metrics per group of these columns, comma-separated: size, accuracy, selection rate, TPR, FPR, demographic-parity and equalized-odds differences (regression: MAE, mean prediction); they need not be features of the model',
      },
      'fairness-threshold': {
        type: 'number',
        requiresArg: true,
        defaultDescription: String(DEFAULT_FAIRNESS_THRESHOLD),
        describe: 'With --sensitive: warn when a demographic-parity or equalized-odds difference exceeds this (classifiers)',
      },
    })
    .check((argv) => {
      checkModelDataArgs(argv, 'evaluate', ['data', 'label', 'input-format']);
      checkInputFormat(argv);
      if (argv['fairness-threshold'] !== undefined && argv.sensitive === undefined) {
        throw new OptionError('fairness-threshold', argv['fairness-threshold'], 'only --sensitive uses it');
      }
      return true;
    })
    .example('$0 evaluate runs/1/model.onnx --data test.csv', 'accuracy, per-class scores and the confusion matrix')
    .example('$0 evaluate model.onnx --data test.jsonl --label species --json', 'the same as one JSON object')
    .example('$0 evaluate model.onnx --data test.csv --sensitive sex,race', 'also metrics per group of sex and race');
}

/** --sensitive and --fairness-threshold, checked; undefined without --sensitive. */
function fairnessOption(argv: EvaluateArgs): EvaluateOptions['fairness'] {
  if (argv.sensitive === undefined) return undefined;
  const sensitive = columnNames('sensitive', argv.sensitive);
  refuseRepeatedColumns(sensitive);
  const threshold = nonNegative('fairness-threshold', argv['fairness-threshold'] ?? DEFAULT_FAIRNESS_THRESHOLD);
  return { sensitive, threshold };
}

/** `onnx-mlp evaluate MODEL --data FILE`: scores a model on labelled data. */
export const evaluateCommand: CommandModule<object, EvaluateArgs> = {
  command: COMMANDS.evaluate.command,
  describe: COMMANDS.evaluate.describe,
  builder: (yargs) => options(yargs) as unknown as Argv<EvaluateArgs>,
  handler: async (argv) => {
    const batchSize = integerOption('batch-size', argv['batch-size'], 1, 1 << 20);
    const fairness = fairnessOption(argv);
    const model = await loadInferenceModel(argv.model, 'evaluate', { verify: argv.verify });
    try {
      const report = await evaluateModel(model, {
        data: argv.data,
        batchSize,
        ...(argv.label === undefined ? {} : { label: argv.label }),
        ...(argv['input-format'] === undefined ? {} : { format: argv['input-format'] as TextFormat }),
        ...(fairness ? { fairness } : {}),
      });
      process.stdout.write(argv.json ? `${JSON.stringify(report)}\n` : formatEvaluation(report));
      // The text report carries its warnings; beside --json's object they go to stderr too.
      if (argv.json) for (const w of report.fairness?.warnings ?? []) process.stderr.write(`warning: ${w}\n`);
    } finally {
      await model.session.release();
    }
  },
};
