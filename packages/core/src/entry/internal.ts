// @onnx-mlp/core/internal: NOT API. What the onnx-mlp CLI and web package share with the core beyond
// its public entry points: metadata keys, artifact IO names, the flat parameter layout, column
// statistics, message helpers. Anything here may change or go away in any release without notice.
import '../ops/index.js'; // emitUnflatten builds graph nodes
export { META } from '../artifacts/metadata.js';
export { IO } from '../artifacts/io-names.js';
export { emitUnflatten } from '../artifacts/train-step.js';
export { parameterLayout, packTensors, unpackTensors } from '../model/layout.js';
export type { ParameterLayout, ParameterSlot } from '../model/layout.js';
export { named } from '../optimizers/optimizer.js';
export { numericColumn, categoricalColumn } from '../preprocess/column-stats.js';
export type { NumericSummary } from '../preprocess/column-stats.js';
export { StreamingColumnStats } from '../preprocess/stream.js';
export { KIND_WINDOW } from '../preprocess/kind.js';
export { formatLocation } from '../data/errors.js';
export type { DataLocation } from '../data/errors.js';
export { cellError, rowPlace } from '../data/table.js';
export { decodeElements, elementCount, formatShape, ND_BYTES } from '../data/ndarray.js';
