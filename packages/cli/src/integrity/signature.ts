import { sign, verify, type KeyObject } from 'node:crypto';
import type { Model } from '@onnx-mlp/core';
import { readIntegrity } from '@onnx-mlp/core/artifacts';
import { META } from '@onnx-mlp/core/internal';
import { fingerprint } from './keys.js';

/** What metadata `onnx_mlp.signature` holds: an Ed25519 signature of the integrity digest. */
export interface SignatureEntry {
  readonly algorithm: 'ed25519';
  /** `sha256:` + hex of the signing public key's DER, so a verifier can tell which key signed. */
  readonly publicKey: string;
  /** Base64 of the signature over `signedMessage(digest)`. */
  readonly signature: string;
}

/** The outcome of checking a model's signature with a public key. */
export type SignatureCheck =
  | { readonly status: 'ok'; readonly publicKey: string }
  | { readonly status: 'no-signature' | 'no-digest' }
  | { readonly status: 'other-key' | 'invalid'; readonly publicKey: string };

/** The bytes signed: the digest with a tag, so the signature cannot be replayed as another message. */
function signedMessage(digest: string): Buffer {
  return Buffer.from(`onnx-mlp integrity sha256:${digest}`, 'utf8');
}

/** Returns a sealed `model` with a signature of its digest by `privateKey` in metadata `onnx_mlp.signature`. */
export function signModel(model: Model, privateKey: KeyObject): Model {
  const digests = readIntegrity(model);
  if (!digests) throw new Error('signModel needs a sealed model (core sealModel)');
  const entry: SignatureEntry = {
    algorithm: 'ed25519',
    publicKey: fingerprint(privateKey),
    signature: sign(null, signedMessage(digests.digest), privateKey).toString('base64'),
  };
  return { ...model, metadata: new Map([...model.metadata, [META.signature, JSON.stringify(entry)]]) };
}

/** Checks the stored signature against the stored digest and `publicKey` (the digest itself is checked apart). */
export function checkSignature(model: Model, publicKey: KeyObject): SignatureCheck {
  const digests = readIntegrity(model);
  if (!digests) return { status: 'no-digest' };
  const entry = readSignature(model);
  if (!entry) return { status: 'no-signature' };
  if (entry.publicKey !== fingerprint(publicKey)) return { status: 'other-key', publicKey: entry.publicKey };
  const valid = verify(null, signedMessage(digests.digest), publicKey, Buffer.from(entry.signature, 'base64'));
  return { status: valid ? 'ok' : 'invalid', publicKey: entry.publicKey };
}

/** The signature entry of `model`, or undefined when it has none or it is unreadable. */
export function readSignature(model: Model): SignatureEntry | undefined {
  const text = model.metadata.get(META.signature);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<SignatureEntry>;
    const ok = value.algorithm === 'ed25519' && typeof value.publicKey === 'string' && typeof value.signature === 'string';
    return ok ? (value as SignatureEntry) : undefined;
  } catch {
    return undefined;
  }
}
