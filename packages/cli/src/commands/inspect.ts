import type { Argv, CommandModule } from 'yargs';
import type { Model } from '@onnx-mlp/core';
import { checkIntegrity } from '@onnx-mlp/core/artifacts';
import { COMMANDS } from './command-list.js';
import { describeModel } from '@onnx-mlp/core/inspect';
import { printGraph } from '@onnx-mlp/core/ir';
import { UsageError } from '../errors.js';
import { formatReport } from '../inspect/format-text.js';
import { differsLine } from '../integrity/require-intact.js';
import { readSignature } from '../integrity/signature.js';
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

/** What `onnx-mlp verify` would say, in one line (the signature needs a key: only whether there is one). */
async function verificationLine(model: Model): Promise<string> {
  const check = await checkIntegrity(model);
  if (check.status === 'no-digest') return 'no integrity digest (not sealed by onnx-mlp train); nothing to verify';
  if (check.status === 'mismatch') return `FAILED: ${differsLine(check.differs)}`;
  const signer = readSignature(model);
  const signed = signer ? `signed by ${signer.publicKey} (check with onnx-mlp verify --pubkey)` : 'not signed';
  return `verified (sha256 ${check.computed.digest}); ${signed}`;
}

/** `onnx-mlp inspect MODEL`: prints what an ONNX file (onnx-mlp's or any other) holds. */
export const inspectCommand: CommandModule<object, InspectArgs> = {
  command: COMMANDS.inspect.command,
  describe: COMMANDS.inspect.describe,
  builder: (yargs) => options(yargs) as unknown as Argv<InspectArgs>,
  handler: async (argv) => {
    const file = await readModelFile(argv.model);
    const report = { ...describeModel(file.model, file), verification: await verificationLine(file.model) };
    const full = argv.graph ? { ...report, listing: printGraph(file.model.graph) } : report;
    process.stdout.write(argv.json ? `${JSON.stringify(full)}\n` : formatReport(full));
  },
};
