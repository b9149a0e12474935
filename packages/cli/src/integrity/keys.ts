import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';

/** A key file that cannot be used: missing, not PEM, or not an Ed25519 key of the expected kind. */
export class KeyFileError extends UserError {
  constructor(
    readonly path: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`${path}: ${reason}`, options);
    this.name = 'KeyFileError';
  }
}

/** Reads an Ed25519 private key (PEM, PKCS#8) for `train --sign-key`. */
export async function readPrivateKey(path: string): Promise<KeyObject> {
  const text = await readKeyText(path);
  if (/-----BEGIN PUBLIC KEY-----/.test(text)) throw new KeyFileError(path, 'is a public key; --sign-key needs the private key (.pem)');
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch (e) {
    throw new KeyFileError(path, 'not a PEM private key (onnx-mlp keygen writes one)', { cause: e });
  }
  return requireEd25519(path, key);
}

/** Reads an Ed25519 public key (PEM, SPKI) for `verify --pubkey`. */
export async function readPublicKey(path: string): Promise<KeyObject> {
  const text = await readKeyText(path);
  if (/PRIVATE KEY-----/.test(text)) throw new KeyFileError(path, 'is a private key; --pubkey needs the public key (.pub)');
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch (e) {
    throw new KeyFileError(path, 'not a PEM public key (onnx-mlp keygen writes one)', { cause: e });
  }
  return requireEd25519(path, key);
}

/** The public key's fingerprint: `sha256:` and the SHA-256 of its DER (SPKI) encoding, in hex. */
export function fingerprint(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/** A new Ed25519 key pair as PEM text: the private key (PKCS#8) and the public key (SPKI). */
export function generateKeyPairPem(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}

async function readKeyText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such key file' : code === 'EISDIR' ? 'is a folder, not a key file' : (e as Error).message;
    throw new KeyFileError(path, reason, { cause: e });
  }
}

function requireEd25519(path: string, key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new KeyFileError(path, `is not an Ed25519 key (its type is ${key.asymmetricKeyType ?? 'unknown'}); onnx-mlp keygen writes one`);
  }
  return key;
}
