import type { CommandModule } from 'yargs';

/** A command as `onnx-mlp --help` lists it, and how to load the module that runs it. */
export interface CommandEntry {
  readonly command: string;
  readonly describe: string;
  /** Imports the command's module: only the command being run is loaded (start-up time). */
  readonly load: () => Promise<CommandModule<object, never>>;
}

/** Every command, in --help order. Each command module takes its `command` and `describe` from here. */
export const COMMANDS = {
  train: {
    command: 'train',
    describe: 'Train an MLP on a CSV/JSON file or the MNIST digits; writes <runs-dir>/<n>/ with model.onnx, checkpoints and history',
    load: async () => (await import('./train.js')).trainCommand as CommandModule<object, never>,
  },
  inspect: {
    command: 'inspect <model>',
    describe: 'Describe an ONNX model or checkpoint: layers, parameters, inputs/outputs, opsets, training metadata',
    load: async () => (await import('./inspect.js')).inspectCommand as CommandModule<object, never>,
  },
  evaluate: {
    command: 'evaluate <model>',
    describe: 'Score an inference model on labelled data: accuracy, per-class P/R/F1, confusion matrix, ROC-AUC; MSE/MAE/R²',
    load: async () => (await import('./evaluate.js')).evaluateCommand as CommandModule<object, never>,
  },
  predict: {
    command: 'predict <model>',
    describe: 'Predict with an inference model, streaming rows from a data file or stdin to CSV / JSON Lines',
    load: async () => (await import('./predict.js')).predictCommand as CommandModule<object, never>,
  },
  explain: {
    command: 'explain <model>',
    describe: 'Explain predictions: per-row column attributions (integrated gradients or gradient × input) and their global summary',
    load: async () => (await import('./explain.js')).explainCommand as CommandModule<object, never>,
  },
  export: {
    command: 'export <model>',
    describe:
      'Write a variant of a trained model for other runtimes: --missing mask takes missing cells as a second input (for OpenCV 4.6)',
    load: async () => (await import('./export.js')).exportCommand as CommandModule<object, never>,
  },
  verify: {
    command: 'verify <model>',
    describe: "Check a model's integrity digest (and its signature with --pubkey): is it unchanged since training?",
    load: async () => (await import('./verify.js')).verifyCommand as CommandModule<object, never>,
  },
  card: {
    command: 'card <model>',
    describe: "Print a model's card: provenance, data, features, metrics, statements, integrity (Markdown, --html or --json)",
    load: async () => (await import('./card.js')).cardCommand as CommandModule<object, never>,
  },
  keygen: {
    command: 'keygen',
    describe: 'Write an Ed25519 key pair (NAME.pem, NAME.pub) to sign models with train --sign-key',
    load: async () => (await import('./keygen.js')).keygenCommand as CommandModule<object, never>,
  },
} as const satisfies Record<string, CommandEntry>;

/** The name of the command `args` runs (its first word that is not an option), if it is one of ours. */
export function requestedCommand(args: readonly string[]): keyof typeof COMMANDS | undefined {
  const word = args.find((a) => !a.startsWith('-'));
  return word !== undefined && Object.hasOwn(COMMANDS, word) ? (word as keyof typeof COMMANDS) : undefined;
}

/**
 * The commands to register with yargs for `args`: the requested one in full (loaded now), the
 * others by name and description only, which is all the top-level --help and yargs' unknown-command
 * check read.
 */
export async function commandsFor(args: readonly string[]): Promise<CommandModule<object, never>[]> {
  const wanted = requestedCommand(args);
  return Promise.all(
    Object.entries(COMMANDS).map(async ([name, entry]) =>
      name === wanted ? await entry.load() : { command: entry.command, describe: entry.describe, handler: () => {} },
    ),
  );
}
