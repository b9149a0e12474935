#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commandsFor, requestedCommand } from './commands/command-list.js';
import { UsageError, UserError } from './errors.js';
import { helpWidth } from './help-pages.js';
import { exitQuietlyOnClosedPipe } from './io/closed-pipe.js';
import { oneLineMessage } from './io/echo.js';
import { exitCleanlyOnSignals } from './io/exit-cleanup.js';
import { describeSystemError, isUnwordedSystemError } from './io/fs-error.js';
import { CLI_VERSION } from './version.js';

/** Exit status of a failed command: 2 for a malformed command line, 1 for everything else. */
function exitCodeOf(error: unknown): number {
  return error instanceof UsageError ? 2 : 1;
}

/**
 * Errors the user can act on from the message alone: printed as one line, no stack. Core's errors
 * say so themselves (`userError`); anything else is a bug or an unexpected failure, and says how
 * to see its stack. (Core is imported only here and by the commands: --help does without it.)
 */
async function isExpected(error: unknown): Promise<boolean> {
  const { OnnxMlpError } = await import('@onnx-mlp/core');
  if (error instanceof OnnxMlpError) return error.userError;
  return error instanceof UsageError || error instanceof UserError || typeof (error as NodeJS.ErrnoException)?.code === 'string';
}

/** Prints `error` on stderr: one line `onnx-mlp: <message>`, plus the stack with --verbose. */
async function report(error: unknown, verbose: boolean): Promise<void> {
  const { cliMessage } = await import('./core-wording.js');
  const message = oneLineMessage(isUnwordedSystemError(error) ? describeSystemError(error) : cliMessage(error));
  const hint =
    error instanceof UsageError
      ? ' (see onnx-mlp --help)'
      : (await isExpected(error)) || verbose
        ? ''
        : ' (rerun with --verbose for the stack trace)';
  process.stderr.write(`onnx-mlp: ${message}${hint}\n`);
  if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
}

/** Runs the command line `args` and returns the process exit status. */
async function main(args: string[]): Promise<number> {
  exitQuietlyOnClosedPipe();
  exitCleanlyOnSignals();
  // Loads ONNX Runtime, so only for a command that may run it (--help stays fast).
  if (requestedCommand(args)) (await import('./model/ort-logging.js')).quietOnnxRuntime(args.includes('--verbose'));
  try {
    await yargs(args)
      .scriptName('onnx-mlp')
      .usage('$0 <command> [options]\n\nTrain multi-layer perceptrons as standard ONNX graphs with ONNX Runtime.')
      .command(await commandsFor(args))
      // `onnx-mlp completion >> ~/.bashrc` (or ~/.zshrc) installs tab completion of commands and options.
      .completion('completion', 'Print a bash/zsh completion script: onnx-mlp completion >> ~/.bashrc')
      .demandCommand(1, 'give a command, e.g. `onnx-mlp train`')
      .strict()
      .option('verbose', {
        type: 'boolean',
        default: false,
        global: true,
        describe: "Print stack traces of errors, and ONNX Runtime's own log lines",
      })
      .example('$0 train', 'train the default 784-128-128-10 MNIST model (a few seconds)')
      .example('$0 train --epochs 20 --lr 0.0005', 'train longer with a smaller learning rate')
      .example('$0 train --help', 'all training options and their defaults')
      .example('$0 inspect models/mnist-mlp.onnx', 'layers, parameter count, inputs/outputs and training facts of a model')
      .example('$0 evaluate runs/1/model.onnx --data test.csv', 'accuracy, per-class scores and confusion matrix on labelled data')
      .example('$0 predict runs/1/model.onnx --data new.csv --out predictions.csv', 'stream predictions for every row')
      .example('$0 verify runs/1/model.onnx', 'check that a model is unchanged since training (its integrity digest)')
      .parserConfiguration({ 'duplicate-arguments-array': false })
      // Every failure becomes an exception so that exit codes are decided in one place, below:
      // yargs' own validation (a message, or a YError) is a usage error; handler errors pass through.
      .fail((message, err) => {
        if (!err || err.name === 'YError') throw new UsageError(err?.message ?? message);
        throw err;
      })
      .help()
      .alias('h', 'help')
      .version(CLI_VERSION)
      .wrap(helpWidth(process.stdout.columns))
      .parseAsync();
    return 0;
  } catch (error) {
    await report(error, args.includes('--verbose'));
    return exitCodeOf(error);
  }
}

process.exitCode = await main(hideBin(process.argv));
