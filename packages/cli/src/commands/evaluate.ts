import type { Argv, CommandModule } from 'yargs';
import { COMMANDS } from './command-list.js';
import { evaluateModel } from '../evaluate/evaluate.js';
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
    })
    .check((argv) => {
      checkModelDataArgs(argv, 'evaluate', ['data', 'label', 'input-format']);
      checkInputFormat(argv);
      return true;
    })
    .example('$0 evaluate runs/1/model.onnx --data test.csv', 'accuracy, per-class scores and the confusion matrix')
    .example('$0 evaluate model.onnx --data test.jsonl --label species --json', 'the same as one JSON object');
}

/** `onnx-mlp evaluate MODEL --data FILE`: scores a model on labelled data. */
export const evaluateCommand: CommandModule<object, EvaluateArgs> = {
  command: COMMANDS.evaluate.command,
  describe: COMMANDS.evaluate.describe,
  builder: (yargs) => options(yargs) as unknown as Argv<EvaluateArgs>,
  handler: async (argv) => {
    const batchSize = integerOption('batch-size', argv['batch-size'], 1, 1 << 20);
    const model = await loadInferenceModel(argv.model, 'evaluate', { verify: argv.verify });
    try {
      const report = await evaluateModel(model, {
        data: argv.data,
        batchSize,
        ...(argv.label === undefined ? {} : { label: argv.label }),
        ...(argv['input-format'] === undefined ? {} : { format: argv['input-format'] as TextFormat }),
      });
      process.stdout.write(argv.json ? `${JSON.stringify(report)}\n` : formatEvaluation(report));
    } finally {
      await model.session.release();
    }
  },
};
