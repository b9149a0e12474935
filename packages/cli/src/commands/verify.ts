import type { Argv, CommandModule } from 'yargs';
import { checkIntegrity, readModelCard, type IntegrityCheck } from '@onnx-mlp/core/artifacts';
import { COMMANDS } from './command-list.js';
import { UsageError, UserError } from '../errors.js';
import { readPublicKey } from '../integrity/keys.js';
import { differsLine } from '../integrity/require-intact.js';
import { checkSignature, type SignatureCheck } from '../integrity/signature.js';
import { readModelFile } from '../model/read-model.js';

/** `onnx-mlp verify`'s arguments as parsed by yargs. */
export interface VerifyArgs {
  readonly model: string;
  readonly pubkey?: string;
  readonly json: boolean;
}

/** A model that fails verification; the message names the file and what failed. */
export class VerificationError extends UserError {
  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'VerificationError';
  }
}

function options(yargs: Argv) {
  return yargs
    .usage(
      '$0 verify MODEL [--pubkey KEY.pub] [--json]\n\nRecompute the SHA-256 integrity digest of a model that onnx-mlp ' +
        'sealed and say whether its graph, weights and metadata are unchanged; with --pubkey, also check its Ed25519 ' +
        'signature. Exit status 0 when verified, 1 otherwise.',
    )
    .positional('model', { type: 'string', describe: 'The .onnx file' })
    .options({
      pubkey: { type: 'string', requiresArg: true, describe: 'Also check the signature with this public key (onnx-mlp keygen)' },
      json: { type: 'boolean', default: false, describe: 'Print one JSON object instead of the text line' },
    })
    .check((argv) => {
      if (typeof argv.model !== 'string' || argv.model === '') throw new UsageError('verify needs the path of a model file');
      return true;
    })
    .example('$0 verify runs/1/model.onnx', 'is the model unchanged since train wrote it?')
    .example('$0 verify model.onnx --pubkey signing.pub', 'and was it signed with the key of signing.pub?');
}

/** Why a verification fails, or undefined when it passes. */
function failure(
  integrity: IntegrityCheck,
  signature: SignatureCheck | undefined,
  o: { pubkey: string | undefined; card: boolean },
): string | undefined {
  const { pubkey, card } = o;
  if (integrity.status === 'no-digest')
    return `has no integrity digest${card ? '' : ' and no model card'} (not sealed by onnx-mlp train); nothing to verify`;
  if (integrity.status === 'mismatch') return differsLine(integrity.differs);
  switch (signature?.status) {
    case 'no-signature':
      return `has no signature to check with --pubkey ${pubkey} (trained without --sign-key)`;
    case 'other-key':
      return `was signed by another key (${signature.publicKey}), not the one in ${pubkey}`;
    case 'invalid':
      return `its signature does not match its digest with ${pubkey}`;
    default:
      return undefined;
  }
}

/** `onnx-mlp verify MODEL`: recomputes the integrity digest and, with --pubkey, checks the signature. */
export const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: COMMANDS.verify.command,
  describe: COMMANDS.verify.describe,
  builder: (yargs) => options(yargs) as unknown as Argv<VerifyArgs>,
  handler: async (argv) => {
    const publicKey = argv.pubkey === undefined ? undefined : await readPublicKey(argv.pubkey);
    const { model } = await readModelFile(argv.model);
    const integrity = await checkIntegrity(model);
    const signature = publicKey && integrity.status === 'ok' ? checkSignature(model, publicKey) : undefined;
    const card = readModelCard(model) !== null;
    const failed = failure(integrity, signature, { pubkey: argv.pubkey, card });
    const digest = integrity.computed.digest;
    if (argv.json) {
      const result = {
        file: argv.model,
        verified: failed === undefined,
        status: integrity.status,
        differs: integrity.differs,
        digest,
        card,
      };
      process.stdout.write(`${JSON.stringify(signature ? { ...result, signature } : result)}\n`);
    }
    if (failed !== undefined) throw new VerificationError(argv.model, failed);
    if (!argv.json) {
      const signed = signature?.status === 'ok' ? `; signed by ${signature.publicKey} (${argv.pubkey})` : '';
      process.stdout.write(`${argv.model}: verified (sha256 ${digest})${signed}\n`);
      // A note, not a failure: models sealed before cards existed verify as they always did.
      if (!card) process.stderr.write(`note: ${argv.model} has no model card (metadata onnx_mlp.card); nothing is wrong with it\n`);
    }
  },
};
