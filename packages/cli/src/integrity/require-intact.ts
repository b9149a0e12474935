import type { Model } from '@onnx-mlp/core';
import { checkIntegrity, type IntegrityPart } from '@onnx-mlp/core/artifacts';
import { UserError } from '../errors.js';

/** A model whose stored integrity digest no longer matches its contents. */
export class ModelIntegrityError extends UserError {
  constructor(
    readonly path: string,
    readonly differs: readonly IntegrityPart[],
  ) {
    super(`${path}: ${differsLine(differs)}; refusing to use it (onnx-mlp verify ${path} for details, --no-verify to use it anyway)`);
    this.name = 'ModelIntegrityError';
  }
}

/** "its weights and metadata changed since it was sealed": what no longer matches the stored digest. */
export function differsLine(differs: readonly IntegrityPart[]): string {
  if (differs.length === 0) return 'its stored integrity digest is inconsistent';
  return `its ${joinWords(differs)} changed since it was sealed (integrity digest mismatch)`;
}

function joinWords(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/** Throws ModelIntegrityError when `model` has a digest that its contents fail; a model without one passes. */
export async function requireIntact(path: string, model: Model): Promise<void> {
  const check = await checkIntegrity(model);
  if (check.status === 'mismatch') throw new ModelIntegrityError(path, check.differs);
}
