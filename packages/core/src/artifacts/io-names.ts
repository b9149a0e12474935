/** Input and output names of the training-side models, in one place so trainer and builders agree. */
export const IO = {
  input: 'input',
  target: 'target',
  learningRate: 'learning_rate',
  step: 'step',
  /** All parameters, flat, in `ParameterLayout` order. */
  parameters: 'parameters',
  /** One optimizer slot (`m`, `v`, `velocity`) for all parameters, flat. */
  state: (slot: string) => `optimizer_state.${slot}`,
  /** Dropout noise of hidden layer `layer`: uniform [0, 1), [batch, width] (per step: [steps, batch, width]). */
  dropoutNoise: (layer: string) => `dropout_noise.${layer}`,
  /** Differentially private steps: each row's weight in the clipped sum (0 for padding), [batch]. */
  rowWeights: 'dp_row_weights',
  /** Differentially private steps: Gaussian noise added to the clipped sum, [parameters]. */
  gradientNoise: 'dp_gradient_noise',
  /** Differentially private steps: each row's unclipped gradient norm, [batch]. */
  perExampleNorms: 'per_example_norm',
  loss: 'loss',
  logits: 'logits',
  /** Output carrying the new value of input `name`. */
  updated: (name: string) => `${name}.updated`,
  // The epoch model's own inputs and outputs.
  features: 'features',
  targets: 'targets',
  batchOrder: 'batch_order',
  learningRates: 'learning_rates',
  firstStep: 'first_step',
  losses: 'losses',
  batchLogits: 'batch_logits',
} as const;
