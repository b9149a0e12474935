import { dirname } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { BASELINES, type Baseline, DEFAULT_STEPS, EXPLAIN_METHODS, type ExplainMethod, columnImportance } from '@onnx-mlp/core/explain';
import type { TextFormat } from '../data/readers/index.js';
import { UsageError } from '../errors.js';
import { explainRows } from '../explain/explain-rows.js';
import { type ExplainSession, openExplainSession } from '../explain/explain-session.js';
import { importanceText } from '../explain/importance-text.js';
import { type OutputTarget, checkOutputTarget } from '../io/output-target.js';
import { removeStaleTempFiles } from '../io/stale-temps.js';
import { integerOption } from '../options/numbers.js';
import { OUTPUT_FORMATS } from '../predict/output.js';
import { openSink, outputFormat } from '../predict/output-sink.js';
import { INPUT_FORMAT_OPTION, MODEL_POSITIONAL, VERIFY_OPTION, checkInputFormat, dataOption } from './model-data-options.js';
import { COMMANDS } from './command-list.js';

/** `onnx-mlp explain`'s arguments as parsed by yargs. */
export interface ExplainArgs {
  readonly model: string;
  readonly data: string;
  readonly method: string;
  readonly steps: number;
  readonly baseline?: string;
  readonly out?: string;
  readonly force: boolean;
  readonly format?: string;
  readonly 'input-format'?: string;
  readonly label?: string;
  readonly verify: boolean;
  readonly 'raw-csv': boolean;
}

function options(yargs: Argv) {
  return yargs
    .usage(
      "$0 explain MODEL --data FILE|- [options]\n\nExplain each prediction: for every row, each raw column's attribution toward the " +
        'predicted class (or the regression output), by gradient × (input − baseline) or integrated gradients along the straight ' +
        'path from the baseline, computed by an ONNX graph built from the model. One-hot categories are summed back to their ' +
        'column; a missing cell gets 0 and is listed under missing_columns. Ends with the mean |attribution| per column.',
    )
    .positional('model', MODEL_POSITIONAL)
    .options({
      data: dataOption('Rows to explain: .csv, .tsv, .json, .jsonl, or - for stdin'),
      method: { type: 'string', requiresArg: true, default: 'integrated-gradients', describe: `${EXPLAIN_METHODS.join(' | ')}` },
      steps: { type: 'number', requiresArg: true, default: DEFAULT_STEPS, describe: 'Points on the path (integrated gradients)' },
      baseline: {
        type: 'string',
        requiresArg: true,
        describe: `${BASELINES.join(' | ')}: the training means (most frequent category), or zeros (no category)`,
        defaultDescription: 'mean when the model records its preprocessing, else zero',
      },
      'input-format': INPUT_FORMAT_OPTION,
      out: {
        type: 'string',
        requiresArg: true,
        describe: 'Write the attributions to this file (complete or not at all) instead of stdout',
      },
      force: { type: 'boolean', default: false, describe: 'Let --out replace an existing file' },
      format: {
        type: 'string',
        requiresArg: true,
        describe: `Output format: ${OUTPUT_FORMATS.join(' | ')}`,
        defaultDescription: 'jsonl for --out *.jsonl, else csv',
      },
      label: { type: 'string', requiresArg: true, describe: 'A column to leave out of the features (models without preprocessing)' },
      verify: VERIFY_OPTION,
      'raw-csv': {
        type: 'boolean',
        default: false,
        describe: "CSV cells as they are: no leading ' on text starting with = + - @ tab or CR",
      },
    })
    .check((argv) => {
      if (typeof argv.model !== 'string' || argv.model === '') throw new UsageError('explain needs the path of a model file');
      if (!(EXPLAIN_METHODS as readonly unknown[]).includes(argv.method))
        throw new UsageError(`--method must be one of ${EXPLAIN_METHODS.join(', ')}`);
      if (argv.baseline !== undefined && !(BASELINES as readonly unknown[]).includes(argv.baseline)) {
        throw new UsageError(`--baseline must be one of ${BASELINES.join(', ')}`);
      }
      if (argv.format !== undefined && !(OUTPUT_FORMATS as readonly unknown[]).includes(argv.format)) {
        throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}`);
      }
      checkInputFormat(argv);
      return true;
    })
    .example('$0 explain runs/1/model.onnx --data rows.csv', 'integrated gradients from the training means, CSV on stdout')
    .example('$0 explain model.onnx --data rows.csv --method gradient --baseline zero --out why.jsonl', 'gradient × input, JSON Lines');
}

async function explainInto(session: ExplainSession, argv: ExplainArgs, target: OutputTarget): Promise<void> {
  const sink = await openSink(target, argv.force);
  let summary: Awaited<ReturnType<typeof explainRows>>;
  try {
    summary = await explainRows(
      session,
      {
        data: argv.data,
        outputFormat: outputFormat(argv.format, argv.out),
        rawCsv: argv['raw-csv'],
        ...(argv['input-format'] === undefined ? {} : { format: argv['input-format'] as TextFormat }),
        ...(argv.label === undefined ? {} : { label: argv.label }),
      },
      sink,
    );
  } catch (e) {
    await sink.abort();
    throw e;
  }
  await sink.close();
  // The summary goes where it does not mix with the attributions: stderr when they go to stdout.
  const report = target.kind === 'stdout' ? process.stderr : process.stdout;
  const facts = { ...session.facts, columns: summary.columns };
  report.write(importanceText(columnImportance(facts, summary.sums, argv.data)));
  if (target.kind !== 'stdout') process.stdout.write(`${summary.rows} explanations written to ${argv.out}\n`);
}

/** `onnx-mlp explain MODEL --data FILE|-`: per-row attributions to stdout or --out, and a global summary. */
export const explainCommand: CommandModule<object, ExplainArgs> = {
  command: COMMANDS.explain.command,
  describe: COMMANDS.explain.describe,
  builder: (yargs) => options(yargs) as unknown as Argv<ExplainArgs>,
  handler: async (argv) => {
    const steps = integerOption('steps', argv.steps, 1, 10_000);
    const target: OutputTarget =
      argv.out === undefined
        ? { kind: 'stdout' }
        : await checkOutputTarget(argv.out, { force: argv.force, inputs: [argv.data, argv.model], stdout: true });
    if (target.kind === 'file') await removeStaleTempFiles(dirname(target.path));
    const session = await openExplainSession(argv.model, {
      method: argv.method as ExplainMethod,
      steps,
      ...(argv.baseline === undefined ? {} : { baseline: argv.baseline as Baseline }),
      verify: argv.verify,
    });
    try {
      await explainInto(session, argv, target);
    } finally {
      await session.session.release();
    }
  },
};
