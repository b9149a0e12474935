import type { Scaling, Task } from '@onnx-mlp/core';
import type { TabularOptions } from '../data/tabular.js';
import { OptionError } from '../errors.js';
import { camelName, optionName } from '../options/option-spec.js';
import { DEFAULT_SHUFFLE_BUFFER, DEFAULT_TEST_SPLIT } from './config.js';
import { DATA_ONLY_OPTIONS, checkOption, type TrainArgs } from './train-options.js';
import { dataQualitySettings } from './train-options-data-quality.js';

/** The files a tabular run reads: --data, and --val/--test/--labels when given. */
interface DataFiles {
  readonly data: string;
  readonly val: string | null;
  readonly test: string | null;
  readonly labels: string | null;
}

/** --data and the options that go with it; null (the MNIST digits) without --data. */
export function resolveDataset(args: TrainArgs): TabularOptions | null {
  const data = checkOption('data', args.data);
  if (data === null) {
    refuseDataOptions(args);
    return null;
  }
  if (args.features !== undefined && args.exclude !== undefined) {
    throw new OptionError('exclude', args.exclude, 'cannot be combined with --features (name the features, or the columns to leave out)');
  }
  checkOption('label', args.label);
  const files: DataFiles = { data, val: checkOption('val', args.val), test: checkOption('test', args.test), labels: null };
  const testSplit = resolveTestSplit(args, files.test);
  const stream = streamOptions(args, files);
  const labels = labelsFile(args, files, stream !== null);
  return {
    file: data,
    labels,
    // A labels file gives the column its name: `label` unless --label says otherwise.
    label: args.label ?? (labels !== null ? 'label' : null),
    ...columnOptions(args),
    ...dataQualitySettings(args),
    testSplit,
    val: files.val,
    test: files.test,
    ...(stream ? { stream } : {}),
  };
}

/** Without --data, an option that only means something with it is a mistake: say so. */
function refuseDataOptions(args: TrainArgs): void {
  const values = args as Readonly<Record<string, unknown>>;
  const stray = DATA_ONLY_OPTIONS.find((name) => values[camelName(name)] !== undefined && values[camelName(name)] !== false);
  if (stray) throw new OptionError(optionName(stray), values[camelName(stray)], 'needs --data (without it, train uses the MNIST digits)');
}

/** --test-split, or null when a --test file gives the test rows. */
function resolveTestSplit(args: TrainArgs, test: string | null): number | null {
  if (test !== null && args.testSplit !== undefined)
    throw new OptionError('test-split', args.testSplit, 'cannot be combined with --test FILE');
  return test !== null ? null : checkOption('test-split', args.testSplit ?? DEFAULT_TEST_SPLIT);
}

/** How the columns are chosen and preprocessed: task, features, kinds, scaling, imputation. */
function columnOptions(
  args: TrainArgs,
): Pick<TabularOptions, 'task' | 'features' | 'exclude' | 'categorical' | 'scaling' | 'impute' | 'missingCategory'> {
  return {
    task: checkOption('task', args.task ?? 'auto') as Task | 'auto',
    features: checkOption('features', args.features),
    exclude: checkOption('exclude', args.exclude) ?? [],
    categorical: checkOption('categorical', args.categorical) ?? [],
    scaling: checkOption('scaling', args.scaling ?? 'standard') as Scaling,
    impute: checkOption('impute', args.impute ?? 'mean'),
    missingCategory: args.missingCategory ?? false,
  };
}

/** --labels FILE: array data with a separate labels file, not with --val/--test files or --stream. */
function labelsFile(args: TrainArgs, files: DataFiles, streamed: boolean): string | null {
  const labels = checkOption('labels', args.labels);
  if (labels !== null && (files.val !== null || files.test !== null)) {
    throw new OptionError('labels', labels, 'cannot be combined with --val/--test files (use --val-split / --test-split)');
  }
  if (labels !== null && streamed) throw new OptionError('labels', labels, 'cannot be combined with --stream');
  return labels;
}

/** --stream and --shuffle-buffer; null without --stream. */
function streamOptions(args: TrainArgs, files: DataFiles): { readonly shuffleBuffer: number } | null {
  if (!args.stream) {
    if (args.shuffleBuffer !== undefined) throw new OptionError('shuffle-buffer', args.shuffleBuffer, 'only --stream uses it');
    return null;
  }
  if (args.impute === 'median') {
    throw new OptionError(
      'impute',
      'median',
      'cannot be used with --stream: the exact median needs every value in memory; use --impute mean',
    );
  }
  const { val, test } = files;
  if (val !== null || test !== null)
    throw new OptionError(val !== null ? 'val' : 'test', val ?? test, 'cannot be combined with --stream (use --val-split / --test-split)');
  if (args.label?.includes(',')) throw new OptionError('label', args.label, '--stream takes a single label column');
  return { shuffleBuffer: checkOption('shuffle-buffer', args.shuffleBuffer ?? DEFAULT_SHUFFLE_BUFFER) };
}
