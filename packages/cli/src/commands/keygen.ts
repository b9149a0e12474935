import type { Argv, CommandModule } from 'yargs';
import { COMMANDS } from './command-list.js';
import { UsageError, UserError } from '../errors.js';
import { generateKeyPairPem } from '../integrity/keys.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { checkOutputTarget } from '../io/output-target.js';

/** `onnx-mlp keygen`'s arguments as parsed by yargs. */
export interface KeygenArgs {
  readonly out: string;
  readonly force: boolean;
}

function options(yargs: Argv) {
  return yargs
    .usage(
      '$0 keygen --out NAME [--force]\n\nWrite a new Ed25519 key pair for signing models: NAME.pem (the private key, ' +
        'readable by you only; give it to train --sign-key) and NAME.pub (the public key; give it to verify --pubkey).',
    )
    .options({
      out: { type: 'string', requiresArg: true, demandOption: true, describe: 'The key files to write: NAME.pem and NAME.pub' },
      force: { type: 'boolean', default: false, describe: 'Replace existing key files' },
    })
    .check((argv) => {
      if (typeof argv.out !== 'string' || argv.out === '') throw new UsageError('--out expects a value');
      return true;
    })
    .example('$0 keygen --out signing', 'writes signing.pem and signing.pub');
}

/** Writes the private key with no access for others: created 0600 before it is published under its name. */
async function writePrivateKey(path: string, pem: string, replace: boolean): Promise<void> {
  // writeFileAtomic creates its temporary file with the process umask; 077 makes it 0600 from the start.
  const previous = process.umask(0o077);
  try {
    await writeFileAtomic(path, pem, { replace });
  } finally {
    process.umask(previous);
  }
}

/** `onnx-mlp keygen --out NAME`: a new Ed25519 key pair, NAME.pem and NAME.pub. */
export const keygenCommand: CommandModule<object, KeygenArgs> = {
  command: COMMANDS.keygen.command,
  describe: COMMANDS.keygen.describe,
  builder: (yargs) => options(yargs) as unknown as Argv<KeygenArgs>,
  handler: async (argv) => {
    const name = argv.out.replace(/\.(pem|pub)$/, '');
    const paths = { privateKey: `${name}.pem`, publicKey: `${name}.pub` };
    // Both checked before either is written, so a refusal leaves nothing half-made.
    for (const path of [paths.privateKey, paths.publicKey]) {
      const target = await checkOutputTarget(path, { force: argv.force });
      // A key is a file to keep, never a stream (a FIFO or device would hand the private key to whoever reads it).
      if (target.kind !== 'file') throw new UserError(`--out ${name}: ${path} is not a regular file; keys are written to files only`);
    }
    const pair = generateKeyPairPem();
    try {
      await writePrivateKey(paths.privateKey, pair.privateKey, argv.force);
      await writeFileAtomic(paths.publicKey, pair.publicKey, { replace: argv.force });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      throw new UserError(`--out ${name}: a key file appeared meanwhile; add --force to replace it`);
    }
    process.stdout.write(`wrote ${paths.privateKey} (private, keep it secret) and ${paths.publicKey} (public)\n`);
  },
};
