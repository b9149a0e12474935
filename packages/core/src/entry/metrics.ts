// @onnx-mlp/core/metrics: accuracy counts, classification report (precision/recall/F1, confusion
// matrix, ROC-AUC) and regression report, computed on the host from outputs and targets.
export * from '../metrics/classification.js';
export * from '../metrics/classification-report.js';
export * from '../metrics/regression.js';
