import type { Argv, CommandModule } from 'yargs';
import { COMMANDS } from './command-list.js';
import { describeModel } from '@onnx-mlp/core/inspect';
import { printGraph } from '@onnx-mlp/core/ir';
import { UsageError } from '../errors.js';
import { formatReport } from '../inspect/format-text.js';
import { readModelFile } from '../model/read-model.js';

/** `onnx-mlp inspect`'s arguments as parsed by yargs. */
export interface InspectArgs {
  readonly model: string;
  readonly json: boolean;
  readonly graph: boolean;
}

function options(yargs: Argv) {
  return yargs
    .usage(
      '$0 inspect MODEL [options]\n\nDescribe an ONNX file: for onnx-mlp files (model.onnx, training_model.onnx, ' +
        'training_epoch_model.onnx, eval_model.onnx, checkpoint.ckpt) the layers, parameter count, task, class names and ' +
        'stored training facts; for any .onnx its inputs, outputs, opsets, IR version, op types and initializers.',
    )
    .positional('model', { type: 'string', describe: 'The .onnx (or .ckpt) file' })
    .options({
      json: { type: 'boolean', default: false, describe: 'Print one JSON object instead of the text listing' },
      graph: { type: 'boolean', default: false, describe: "Also print every node of the graph (core's printGraph)" },
    })
    .check((argv) => {
      if (typeof argv.model !== 'string' || argv.model === '') throw new UsageError('inspect needs the path of a model file');
      return true;
    })
    .example('$0 inspect models/mnist-mlp.onnx', 'layers, parameters, inputs/outputs and training facts')
    .example('$0 inspect runs/1/checkpoint.ckpt --json', "a checkpoint's epoch, step and history, as JSON")
    .example('$0 inspect model.onnx --graph', 'also list every node');
}

/** `onnx-mlp inspect MODEL`: prints what an ONNX file (onnx-mlp's or any other) holds. */
export const inspectCommand: CommandModule<object, InspectArgs> = {
  command: COMMANDS.inspect.command,
  describe: COMMANDS.inspect.describe,
  builder: (yargs) => options(yargs) as unknown as Argv<InspectArgs>,
  handler: async (argv) => {
    const file = await readModelFile(argv.model);
    const report = describeModel(file.model, file);
    const full = argv.graph ? { ...report, listing: printGraph(file.model.graph) } : report;
    process.stdout.write(argv.json ? `${JSON.stringify(full)}\n` : formatReport(full));
  },
};
