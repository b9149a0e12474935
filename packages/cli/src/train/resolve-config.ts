import { mlpSpec, optimizerConfig, type MlpSpec, type OptimizerConfig } from '@onnx-mlp/core';
import type { TabularOptions } from '../data/tabular.js';
import { MNIST_CLASSES, MNIST_PIXELS } from '../data/mnist-split.js';
import { OptionError } from '../errors.js';
import { asOptions } from '../options/core-field.js';
import { fraction } from '../options/value-checks.js';
import { DEFAULT_VAL_SPLIT, type EarlyStoppingConfig, type TrainConfig } from './config.js';
import { resolveDataset } from './resolve-dataset.js';
import { resolveFairness } from './resolve-fairness.js';
import { resolvePrivacy } from './resolve-privacy.js';
import { checkOption, type TrainArgs } from './train-options.js';

/**
 * Checks every option and builds the spec and optimizer; throws OptionError on the first bad one.
 * The steps run in a fixed order so that, of several bad options, the same one is always reported.
 */
export function resolveTrainConfig(args: TrainArgs): TrainConfig {
  const run = {
    epochs: checkOption('epochs', args.epochs),
    batchSize: checkOption('batch-size', args.batchSize),
    seed: checkOption('seed', args.seed),
    threads: checkOption('threads', args.threads),
  };
  const hidden = checkOption('hidden', args.hidden);
  const dataset = resolveDataset(args);
  const spec = resolveSpec(args, hidden, dataset !== null);
  const optimizer = resolveOptimizer(args);
  const outputs = resolveOutputs(args);
  const controls = resolveControls(args, dataset);
  const valSplit = resolveValSplit(args, dataset, controls.earlyStopping);
  // In this order, config.json and the JSON start event list the settings as before.
  return {
    ...run,
    spec,
    optimizer,
    runsDir: outputs.runsDir,
    out: outputs.out,
    report: outputs.report,
    signKey: outputs.signKey,
    force: args.force,
    quiet: args.quiet,
    device: outputs.device,
    verbose: args.verbose ?? false,
    resume: args.resume ?? null,
    dataset,
    valSplit,
    ...controls,
    fairness: resolveFairness(args, dataset),
    privacy: resolvePrivacy(args, controls, dataset),
    card: resolveCard(args),
  };
}

/** The card statements given (--owner, --intended-use, --limitations, --license), trimmed. */
function resolveCard(args: TrainArgs): TrainConfig['card'] {
  const owner = checkOption('owner', args.owner);
  const intendedUse = checkOption('intended-use', args.intendedUse);
  const limitations = checkOption('limitations', args.limitations);
  const license = checkOption('license', args.license);
  return {
    ...(owner !== null ? { owner } : {}),
    ...(intendedUse !== null ? { intendedUse } : {}),
    ...(limitations !== null ? { limitations } : {}),
    ...(license !== null ? { license } : {}),
  };
}

/** The architecture. With --data, the widths and task come from the data; a placeholder checks the other fields now. */
function resolveSpec(args: TrainArgs, hidden: number[], tabular: boolean): MlpSpec {
  return asOptions(
    {
      hidden: { option: 'hidden', value: args.hidden },
      activation: { option: 'activation', value: args.activation },
      dropout: { option: 'dropout', value: args.dropout },
      init: { option: 'init', value: args.init },
    },
    () =>
      mlpSpec({
        inputs: tabular ? 1 : MNIST_PIXELS,
        hidden,
        outputs: tabular ? 2 : MNIST_CLASSES,
        task: 'multiclass',
        activation: args.activation as MlpSpec['activation'],
        dropout: args.dropout,
        init: args.init as MlpSpec['init'],
      }),
  );
}

/** The optimizer and its settings; momentum and Nesterov only with sgd. */
function resolveOptimizer(args: TrainArgs): OptimizerConfig {
  if (args.momentum !== undefined && args.optimizer !== 'sgd') {
    throw new OptionError('momentum', args.momentum, `only --optimizer sgd uses momentum (got --optimizer ${args.optimizer})`);
  }
  if (args.nesterov && args.optimizer !== 'sgd') {
    throw new OptionError('nesterov', true, `only --optimizer sgd has Nesterov momentum (got --optimizer ${args.optimizer})`);
  }
  return asOptions(
    {
      optimizer: { option: 'optimizer', value: args.optimizer },
      learningRate: { option: 'lr', value: args.lr },
      momentum: { option: 'momentum', value: args.momentum },
      weightDecay: { option: 'weight-decay', value: args.weightDecay },
      nesterov: { option: 'nesterov', value: args.nesterov },
    },
    () =>
      optimizerConfig(args.optimizer, {
        learningRate: args.lr,
        momentum: args.momentum,
        weightDecay: args.weightDecay,
        ...(args.nesterov ? { nesterov: true } : {}),
      }),
  );
}

/** Where the run goes and what it writes besides its folder; the device it trains on. */
function resolveOutputs(args: TrainArgs): Pick<TrainConfig, 'runsDir' | 'out' | 'report' | 'signKey' | 'device'> {
  return {
    runsDir: checkOption('runs-dir', args.runsDir),
    out: checkOption('out', args.out),
    report: checkOption('report', args.report),
    signKey: checkOption('sign-key', args.signKey),
    device: checkOption('device', args.device),
  };
}

/** The training controls: schedule, clipping, class weights, early stopping. */
function resolveControls(
  args: TrainArgs,
  dataset: TabularOptions | null,
): Pick<TrainConfig, 'schedule' | 'clipNorm' | 'classWeights' | 'earlyStopping'> {
  const schedule = { name: checkOption('schedule', args.schedule), warmup: checkOption('warmup', args.warmup) };
  const clipNorm = checkOption('clip-norm', args.clipNorm);
  const classWeights = checkOption('class-weights', args.classWeights);
  if (classWeights === 'balanced' && dataset?.stream)
    throw new OptionError('class-weights', 'balanced', 'cannot be combined with --stream: give one weight per class');
  return { schedule, clipNorm, classWeights, earlyStopping: resolveEarlyStopping(args) };
}

/** --early-stopping N [--min-delta X], or null. */
function resolveEarlyStopping(args: TrainArgs): EarlyStoppingConfig | null {
  if (args.minDelta !== undefined && args.earlyStopping === undefined) {
    throw new OptionError('min-delta', args.minDelta, 'only --early-stopping uses it');
  }
  const minDelta = args.minDelta === undefined ? 0 : checkOption('min-delta', args.minDelta);
  return args.earlyStopping === undefined ? null : { patience: checkOption('early-stopping', args.earlyStopping), minDelta };
}

/**
 * Validation rows: a fraction of the data, unless a --val file gives them. MNIST keeps reporting
 * val_* on its test split unless asked for a validation split (early stopping needs one: choosing
 * the epoch on the test split would make it a validation set).
 */
function resolveValSplit(args: TrainArgs, dataset: TabularOptions | null, earlyStopping: EarlyStoppingConfig | null): number | null {
  if (dataset?.val && args.valSplit !== undefined) throw new OptionError('val-split', args.valSplit, 'cannot be combined with --val FILE');
  let valSplit: number | null = null;
  // 0 (no validation split) is allowed with --data, where the test split is separate.
  if (args.valSplit !== undefined) valSplit = fraction(dataset !== null)('val-split', args.valSplit);
  else if (dataset ? !dataset.val : earlyStopping !== null) valSplit = DEFAULT_VAL_SPLIT;
  if (dataset && !dataset.val && valSplit === 0) valSplit = null;
  if (earlyStopping && valSplit === null && !dataset?.val) {
    throw new OptionError(
      'early-stopping',
      earlyStopping.patience,
      'monitors val_loss and needs validation rows: --val-split above 0 or --val FILE',
    );
  }
  if (dataset && valSplit !== null && dataset.testSplit !== null && valSplit + dataset.testSplit >= 1) {
    throw new OptionError('val-split', valSplit, `with --test-split ${dataset.testSplit} leaves no rows to train on`);
  }
  return valSplit;
}
