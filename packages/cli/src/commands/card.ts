import type { Argv, CommandModule } from 'yargs';
import { cardMarkdown, checkIntegrity, readCardView } from '@onnx-mlp/core/artifacts';
import { cardHtml } from '../card/card-html.js';
import { UsageError } from '../errors.js';
import { readModelFile } from '../model/read-model.js';
import { COMMANDS } from './command-list.js';

/** `onnx-mlp card`'s arguments as parsed by yargs. */
export interface CardArgs {
  readonly model: string;
  readonly html: boolean;
  readonly json: boolean;
}

function options(yargs: Argv) {
  return yargs
    .usage(
      '$0 card MODEL [--html | --json]\n\nPrint the model card stored in a model.onnx written by onnx-mlp train: who made it, when ' +
        'and how, from which files (size and SHA-256), the features and their statistics, the classes per split, the metrics on ' +
        'the validation and test splits, what the trainer stated (owner, intended use, limitations, license), and its integrity.',
    )
    .positional('model', { type: 'string', describe: 'The .onnx file' })
    .options({
      html: { type: 'boolean', default: false, describe: 'One self-contained HTML page (curves, confusion matrix) instead of Markdown' },
      json: { type: 'boolean', default: false, describe: "The card's facts as one JSON object, for tools" },
    })
    .check((argv) => {
      if (typeof argv.model !== 'string' || argv.model === '') throw new UsageError('card needs the path of a model file');
      if (argv.html && argv.json) throw new UsageError('card prints one format: give --html or --json, not both');
      return true;
    })
    .example('$0 card runs/1/model.onnx', 'the card as Markdown')
    .example('$0 card runs/1/model.onnx --html > card.html', 'one page to open in a browser');
}

/** `onnx-mlp card MODEL`: prints the model card as Markdown, HTML (--html) or JSON (--json). */
export const cardCommand: CommandModule<object, CardArgs> = {
  command: COMMANDS.card.command,
  describe: COMMANDS.card.describe,
  builder: (yargs) => options(yargs) as unknown as Argv<CardArgs>,
  handler: async (argv) => {
    const { model } = await readModelFile(argv.model, 'card');
    const view = readCardView(model);
    const integrity = await checkIntegrity(model);
    const check = { status: integrity.status, differs: integrity.differs };
    if (argv.json) {
      const verification = { ...check, digest: integrity.computed.digest };
      process.stdout.write(`${JSON.stringify({ file: argv.model, ...view, verification })}\n`);
    } else if (argv.html) {
      process.stdout.write(cardHtml(view, { title: `Model card — ${argv.model}`, check }));
    } else {
      process.stdout.write(cardMarkdown(view, { check }));
    }
  },
};
