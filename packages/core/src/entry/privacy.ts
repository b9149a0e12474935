// @onnx-mlp/core/privacy: differentially private training: the RDP accountant of the sampled
// Gaussian mechanism, per-example clipping in the train step, Poisson batches and host-fed noise.
export * from '../privacy/rdp-accountant.js';
