// @onnx-mlp/core/tabular: a table of raw rows -> training data, as `onnx-mlp train --data` and the web
// package's `train` do it: columns, seeded stratified split, statistics on the train split only,
// training controls and the model's training facts, from the same settings and seed.
import '../ops/index.js'; // withFeatures builds the preprocessing graph
export * from '../tabular/index.js';
