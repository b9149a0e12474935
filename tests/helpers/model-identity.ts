import { decodeModel, encodeModel } from '@onnx-mlp/core';
import { cardMarkdown, readModelCard, readIntegrity, sealModel, withModelCard } from '@onnx-mlp/core/artifacts';

/**
 * A model.onnx's bytes with the two facts of its model card that depend on the clock — when it was
 * written and how long training took — set to fixed values (doc_string and seal redone the way train
 * does). Two runs that trained the same model give equal bytes; anything else that differs (a weight,
 * a node, any other metadata) still differs.
 */
export async function withoutRunTimes(bytes: Uint8Array): Promise<Buffer> {
  const model = decodeModel(bytes);
  const card = readModelCard(model);
  if (card === null) return Buffer.from(bytes);
  const fixed = withModelCard(model, { ...card, createdAt: '1970-01-01T00:00:00.000Z', trainingSeconds: 0 }, (v) =>
    cardMarkdown(v, { docString: true }),
  );
  return Buffer.from(encodeModel(readIntegrity(model) ? await sealModel(fixed) : fixed));
}
