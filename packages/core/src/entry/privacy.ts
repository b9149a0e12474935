// @onnx-mlp/core/privacy: differentially private training: the RDP accountant of the sampled
// Gaussian mechanism, per-example clipping in the train step, Poisson batches and host-fed noise.
export * from '../privacy/rdp-accountant.js';
export { clippedGradients, PerExampleClipError } from '../privacy/per-example-clip.js';
export type { ClipInputs, ClippedGradients } from '../privacy/per-example-clip.js';
export { poissonBatches, gaussianNoise } from '../privacy/poisson-batches.js';
export type { PoissonBatches, PoissonSampling } from '../privacy/poisson-batches.js';
export { validatePrivacyOptions, validatePrivacySettings } from '../privacy/privacy-options.js';
export type { PrivacyStepOptions, PrivacySettings } from '../privacy/privacy-options.js';
export { planPrivateRun, epsilonAfter, privacyFacts, PrivacyBudgetError } from '../privacy/private-run.js';
export type { PrivacyRequest, PrivacyPlan, PrivacyFacts, RunShape } from '../privacy/private-run.js';
