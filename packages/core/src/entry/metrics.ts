// @onnx-mlp/core/metrics: accuracy counts, classification report (precision/recall/F1, confusion
// matrix, ROC-AUC), regression report and per-group (fairness) metrics, computed on the host from outputs and targets.
export * from '../metrics/classification.js';
export * from '../metrics/classification-report.js';
export * from '../metrics/regression.js';
export * from '../metrics/sensitive-groups.js';
export * from '../metrics/fairness.js';
export * from '../metrics/regression-fairness.js';
