// The two benchmark setups issue 3 names, shared by the onnx-mlp and PyTorch runners.
export const SETUPS = {
  mnist: {
    title: 'MNIST-10k, 784-128-128-10, batch 128, Adam',
    inputs: 784,
    hidden: [128, 128],
    outputs: 10,
    rows: 8000,
    batch: 128,
    epochs: 6,
  },
  compute: {
    title: 'synthetic 200k x 256, 256-512-512-10, batch 512, Adam',
    inputs: 256,
    hidden: [512, 512],
    outputs: 10,
    rows: 200000,
    batch: 512,
    epochs: 3,
  },
};

/** Number of trainable parameters of a setup's MLP. */
export function parameterCount(s) {
  const widths = [s.inputs, ...s.hidden, s.outputs];
  return widths.slice(1).reduce((sum, w, i) => sum + widths[i] * w + w, 0);
}

/** Median of the epochs after the first (the first pays for warm-up and allocation). */
export function medianAfterFirst(seconds) {
  const rest = seconds.slice(1).sort((a, b) => a - b);
  return rest[Math.floor(rest.length / 2)];
}
