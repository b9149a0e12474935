import { OnnxMlpError } from '../errors.js';
import type { Model, TensorData } from '../ir/graph.js';
import { readInferenceMetadata } from '../inspect/inference-metadata.js';
import { type TensorMap, parameterShapes } from '../model/parameters.js';
import type { MlpSpec } from '../model/spec.js';
import { storedDims, transposeMatrix } from '../model/weight-layout.js';
import { cardMarkdown } from '../artifacts/card-markdown.js';
import { buildInferenceModel } from '../artifacts/inference-model.js';
import { computeDigests, sealModel } from '../artifacts/integrity.js';
import { META } from '../artifacts/metadata.js';
import { type ExportedFrom, missingForm } from '../artifacts/missing-input.js';
import { readCardView, readModelCard, withModelCard } from '../artifacts/model-card.js';

/** Why a model cannot be exported in another missing-value form (code EXPORT; `fields.reason` says which). */
export class ExportError extends OnnxMlpError {
  constructor(
    message: string,
    readonly reason: 'no-preprocessing' | 'already-mask' | 'weights',
  ) {
    super(message, { code: 'EXPORT', fields: { reason }, userError: true });
    this.name = 'ExportError';
  }
}

/** The trained parameters ([in, out] weights) read back from an inference model's initializers. */
function trainedParameters(model: Model, spec: MlpSpec): TensorMap {
  const layout = model.metadata.get(META.weightLayout) === 'out_in' ? 'out_in' : 'in_out';
  const params = new Map<string, TensorData>();
  for (const [name, dims] of parameterShapes(spec)) {
    const stored = model.graph.initializers.get(name);
    const want = storedDims(dims, layout);
    if (!stored || stored.dims.join() !== want.join())
      throw new ExportError(`has a weight ${name} that is not the [${want}] its spec and layout (${layout}) call for`, 'weights');
    params.set(name, layout === 'out_in' ? transposeMatrix(stored) : stored);
  }
  return params;
}

/**
 * The same trained model with missing cells passed as a mask: a second input `missing` (1 =
 * missing, 0 = present) instead of NaN in `input`, and a preprocessing without NaN tests or Where
 * (emit-masked.ts), so that runtimes without them (Debian 12's OpenCV 4.6) load it. Weights,
 * outputs, class names, training facts and card are the source's; metadata onnx_mlp.missing_input
 * says the form and onnx_mlp.exported_from the source's digest; the card's Markdown is rendered
 * again and the result sealed anew (a signature is not carried over: sign the result to have one).
 * Check the source's own digest first: this one vouches for whatever it was given.
 */
export async function exportMissingMask(source: Model): Promise<Model> {
  const { spec, preprocessing, targetScaling } = readInferenceMetadata(source);
  if (missingForm(source) === 'mask')
    throw new ExportError(`already takes missing cells as a mask (metadata ${META.missingInput}): use it as it is`, 'already-mask');
  if (!preprocessing)
    throw new ExportError(
      'has no preprocessing (its input is the feature vector itself, with no missing cells to mark): it already loads in OpenCV 4.6 as it is',
      'no-preprocessing',
    );
  const built = buildInferenceModel(spec, trainedParameters(source, spec), {
    preprocessing,
    ...(targetScaling ? { targetScaling } : {}),
    missing: 'mask',
  });
  const from: ExportedFrom = { digest: (await computeDigests(source)).digest };
  const signedBy = readCardView(source).signedBy;
  const metadata = new Map(source.metadata);
  metadata.delete(META.integrity);
  metadata.delete(META.signature);
  // The built model's keys win: its weight layout is out_in whatever the source's was.
  for (const [key, value] of built.metadata) metadata.set(key, value);
  metadata.set(META.exportedFrom, JSON.stringify(signedBy ? { ...from, signedBy } : from));
  const model: Model = { ...built, metadata, ...(source.docString ? { docString: source.docString } : {}) };
  const card = readModelCard(model);
  return sealModel(card ? withModelCard(model, card, (v) => cardMarkdown(v, { docString: true })) : model);
}
