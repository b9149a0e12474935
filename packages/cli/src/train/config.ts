import { DEVICES, Device, MlpSpec, OptimizerConfig, mlpSpec, optimizerConfig } from '@onnx-mlp/core';
import { OptionError } from '../errors.js';
import { asOptions } from '../options/core-field.js';
import { integerOption, parseWidths } from '../options/numbers.js';
import { MNIST_CLASSES, MNIST_PIXELS } from '../data/mnist-split.js';

/** `onnx-mlp train`'s options as parsed from the command line (camel-cased by yargs). */
export interface TrainArgs {
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr?: number | undefined;
  readonly optimizer: string;
  readonly momentum?: number | undefined;
  readonly hidden: string;
  readonly activation: string;
  readonly dropout: number;
  readonly init: string;
  readonly seed: number;
  readonly runsDir: string;
  readonly out?: string | undefined;
  readonly report?: string | undefined;
  readonly force: boolean;
  readonly quiet: boolean;
  readonly threads: number;
  readonly device: string;
  readonly verbose?: boolean;
  readonly resume?: string | undefined;
}

/** A training run fully resolved and checked: what config.json records. */
export interface TrainConfig {
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly threads: number;
  readonly spec: MlpSpec;
  readonly optimizer: OptimizerConfig;
  readonly runsDir: string;
  readonly out: string | null;
  /** Where to write the HTML training report, or null. */
  readonly report: string | null;
  readonly force: boolean;
  readonly quiet: boolean;
  readonly device: Device;
  readonly verbose: boolean;
  /** The run folder to continue, or null for a new run. */
  readonly resume: string | null;
}

/** Checks every option and builds the spec and optimizer; throws OptionError on the first bad one. */
export function resolveTrainConfig(args: TrainArgs): TrainConfig {
  const epochs = integerOption('epochs', args.epochs, 1);
  const batchSize = integerOption('batch-size', args.batchSize, 1);
  // The seed feeds a 32-bit generator; larger values would silently alias smaller ones.
  const seed = integerOption('seed', args.seed, 0, 2 ** 32 - 1);
  const threads = integerOption('threads', args.threads, 1, 1024);
  const hidden = parseWidths('hidden', args.hidden);
  const spec = asOptions({
    hidden: { option: 'hidden', value: args.hidden },
    activation: { option: 'activation', value: args.activation },
    dropout: { option: 'dropout', value: args.dropout },
    init: { option: 'init', value: args.init },
  }, () => mlpSpec({
    inputs: MNIST_PIXELS,
    hidden,
    outputs: MNIST_CLASSES,
    task: 'multiclass',
    activation: args.activation as MlpSpec['activation'],
    dropout: args.dropout,
    init: args.init as MlpSpec['init'],
  }));
  if (args.momentum !== undefined && args.optimizer !== 'sgd') {
    throw new OptionError('momentum', args.momentum, `only --optimizer sgd uses momentum (got --optimizer ${args.optimizer})`);
  }
  const optimizer = asOptions({
    optimizer: { option: 'optimizer', value: args.optimizer },
    learningRate: { option: 'lr', value: args.lr },
    momentum: { option: 'momentum', value: args.momentum },
  }, () => optimizerConfig(args.optimizer, { learningRate: args.lr, momentum: args.momentum }));
  if (args.runsDir.trim() === '') throw new OptionError('runs-dir', args.runsDir, 'must name a folder');
  const out = args.out === undefined ? null : args.out;
  if (out !== null && out.trim() === '') throw new OptionError('out', out, 'must name a file');
  const report = args.report === undefined ? null : args.report;
  if (report !== null && report.trim() === '') throw new OptionError('report', report, 'must name a file');
  if (!(DEVICES as readonly string[]).includes(args.device)) throw new OptionError('device', args.device, `must be one of ${DEVICES.join(', ')}`);
  return {
    epochs, batchSize, seed, threads, spec, optimizer, runsDir: args.runsDir, out, report, force: args.force, quiet: args.quiet,
    device: args.device as Device, verbose: args.verbose ?? false, resume: args.resume ?? null,
  };
}
