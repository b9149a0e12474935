// @onnx-mlp/core/preprocess: tabular preprocessing. Column kinds and labels inferred from values,
// fitted statistics (whole or streamed), raw record -> input vector, and the same steps as a graph.
import '../ops/index.js'; // the preprocessing graph is built with GraphBuilder
export * from '../preprocess/schema.js';
export { fitPreprocessing, MISSING_CATEGORY, OTHER_CATEGORY } from '../preprocess/fit.js';
export { CategoryCounter } from '../preprocess/category-counter.js';
export type { ColumnValues, PreprocessOptions } from '../preprocess/fit.js';
export { emitPreprocess } from '../preprocess/emit.js';
export { emitMaskedPreprocess } from '../preprocess/emit-masked.js';
export { encodeRecord, encodeCsvRow } from '../preprocess/record.js';
export type { RawRecord, EncodeOptions } from '../preprocess/record.js';
export { MISSING_TOKENS, isMissing } from '../preprocess/tokens.js';
export { inferKind, columnValues, encodeLabels } from '../preprocess/infer.js';
export type { TextColumn, Labels } from '../preprocess/infer.js';
export type { ColumnKind } from '../preprocess/kind.js';
export { LabelStats, labelTargeter, type LabelEncoding } from '../preprocess/labels.js';
export { StreamingPreprocessing } from '../preprocess/stream.js';
export { TargetMoments, scaleTargets, labelUnitLossFactor, emitTargetInverse } from '../preprocess/target-scaling.js';
export type { TargetScaling } from '../preprocess/target-scaling.js';
