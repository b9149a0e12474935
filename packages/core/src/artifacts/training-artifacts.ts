import type { Model } from '../ir/graph.js';
import { type ParameterLayout, parameterLayout } from '../model/layout.js';
import type { MlpSpec } from '../model/spec.js';
import { type OptimizerConfig, optimizerRule } from '../optimizers/index.js';
import { buildTrainEpoch } from './epoch-model.js';
import { type TrainStepOptions, buildEvalStep, buildTrainStep, noiseLayers, validateTrainStepOptions } from './train-step.js';

/** The models a training run is made of, in memory, with what the host needs to drive them. */
export interface TrainingArtifacts {
  readonly spec: MlpSpec;
  readonly optimizer: OptimizerConfig;
  readonly options: TrainStepOptions;
  /** `training_model.onnx`: forward, loss, backward and optimizer update of one mini-batch. */
  readonly trainingModel: Model;
  /** `training_epoch_model.onnx`: the same step inside an ONNX Loop over an epoch's mini-batches. */
  readonly epochModel: Model;
  /** `eval_model.onnx`: loss and logits, dropout off. */
  readonly evalModel: Model;
  /** Where each parameter sits in the flat `parameters` vector. */
  readonly layout: ParameterLayout;
  /** Optimizer state slots, each a flat vector like the parameters (`m`, `v`; `velocity`). */
  readonly slots: readonly string[];
  /** Dropout noise the host feeds each step; empty without dropout. */
  readonly noiseInputs: readonly { readonly layer: string; readonly width: number }[];
}

/** Builds every training-side model of `spec` trained with `optimizer`. */
export function buildTrainingArtifacts(spec: MlpSpec, optimizer: OptimizerConfig, options: TrainStepOptions = {}): TrainingArtifacts {
  validateTrainStepOptions(spec, options);
  return {
    spec,
    optimizer,
    options,
    trainingModel: buildTrainStep(spec, optimizer, options),
    epochModel: buildTrainEpoch(spec, optimizer, options),
    evalModel: buildEvalStep(spec),
    layout: parameterLayout(spec),
    slots: optimizerRule(optimizer).slots,
    noiseInputs: noiseLayers(spec),
  };
}
