import type { Model as OnnxModel } from '@onnx-mlp/core';
import { checkIntegrity, readCardView, type CardView, type IntegrityCheck, type IntegrityPart } from '@onnx-mlp/core/artifacts';

/**
 * What `onnx-mlp verify` says about a loaded model: 'ok' (unchanged since it was sealed),
 * 'no-digest' (not sealed by onnx-mlp: nothing to check, no sign of tampering) or 'mismatch' with the
 * parts that changed. A signature is only reported (its key's fingerprint), not checked: that needs
 * the public key (`onnx-mlp verify --pubkey`).
 */
export interface ModelVerification {
  readonly status: IntegrityCheck['status'];
  readonly differs: readonly IntegrityPart[];
  /** SHA-256 over the graph, weights and metadata as loaded (lowercase hex). */
  readonly digest: string;
  /** The fingerprint (`sha256:…`) of the key that signed the model, or null when unsigned. */
  readonly signedBy: string | null;
}

/** A decoded model's card (core's readCardView) and its integrity digest checked against the stored one. */
export async function cardAndVerification(decoded: OnnxModel): Promise<{ card: CardView; verification: ModelVerification }> {
  const card = readCardView(decoded);
  const check = await checkIntegrity(decoded);
  return { card, verification: { status: check.status, differs: check.differs, digest: check.computed.digest, signedBy: card.signedBy } };
}
