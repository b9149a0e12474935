// Compile-time tests of the public surface: `npm run typecheck` (tsc -p tsconfig.tests.json) fails when a
// main signature of @onnx-mlp/core changes. Nothing here runs; `vitest --typecheck` also reads this file.
import type * as ortNode from 'onnxruntime-node';
import type * as ortWeb from 'onnxruntime-web';
import { expectTypeOf } from 'vitest';
import * as core from '@onnx-mlp/core';
import type { EncodeOptions } from '@onnx-mlp/core/preprocess';
import {
  type DataError,
  type InvalidArgumentError,
  type OnnxMlpError,
  Trainer,
  buildInferenceModel,
  buildTrainingArtifacts,
  chooseDevice,
  classificationReport,
  decodeCheckpoint,
  decodeModel,
  encodeCheckpoint,
  encodeModel,
  encodeRecord,
  fitPreprocessing,
  initialState,
  mlpSpec,
  optimizerConfig,
  readCsv,
  regressionReport,
} from '@onnx-mlp/core';
import type {
  Activation,
  BatchEvent,
  Checkpoint,
  ClassificationReport,
  CsvOptions,
  Dataset,
  DeviceChoice,
  EpochRecord,
  FitOptions,
  InferenceInfo,
  MlpSpec,
  Model,
  OptimizerConfig,
  OrtRuntime,
  PreprocessOptions,
  Preprocessing,
  RawRecord,
  RegressionReport,
  Table,
  Task,
  TrainStepOptions,
  TrainerOptions,
  TrainingArtifacts,
  TrainingState,
} from '@onnx-mlp/core';
import type { TensorMap } from '@onnx-mlp/core/model';

// The spec: inputs and outputs required, every other field defaulted.
expectTypeOf(mlpSpec).parameter(0).toEqualTypeOf<Partial<MlpSpec> & Pick<MlpSpec, 'inputs' | 'outputs'>>();
expectTypeOf(mlpSpec).returns.toEqualTypeOf<MlpSpec>();
expectTypeOf<MlpSpec['task']>().toEqualTypeOf<Task>();
expectTypeOf<Task>().toEqualTypeOf<'multiclass' | 'binary' | 'regression'>();
expectTypeOf<MlpSpec['activation']>().toEqualTypeOf<Activation>();
// @ts-expect-error outputs is required
mlpSpec({ inputs: 4 });
// @ts-expect-error an activation outside ACTIVATIONS
mlpSpec({ inputs: 4, outputs: 2, activation: 'swish' });

expectTypeOf(optimizerConfig).returns.toEqualTypeOf<OptimizerConfig>();
expectTypeOf<OptimizerConfig['kind']>().toEqualTypeOf<'sgd' | 'adam' | 'adamw'>();

// Artifacts.
expectTypeOf(buildTrainingArtifacts).parameters.toEqualTypeOf<[MlpSpec, OptimizerConfig, TrainStepOptions?]>();
expectTypeOf(buildTrainingArtifacts).returns.toEqualTypeOf<TrainingArtifacts>();
expectTypeOf(buildInferenceModel).parameters.toEqualTypeOf<[MlpSpec, TensorMap, InferenceInfo?]>();
expectTypeOf(buildInferenceModel).returns.toEqualTypeOf<Model>();
expectTypeOf(initialState).parameters.toEqualTypeOf<[TrainingArtifacts, number]>();
expectTypeOf(initialState).returns.toEqualTypeOf<TrainingState>();

// The trainer: the runtime is injected; either ORT package satisfies the seam.
expectTypeOf<typeof ortNode>().toExtend<OrtRuntime>();
expectTypeOf<typeof ortWeb>().toExtend<OrtRuntime>();
expectTypeOf(Trainer.create).parameters.toEqualTypeOf<[OrtRuntime, TrainingArtifacts, TrainingState, TrainerOptions?]>();
expectTypeOf(Trainer.create).returns.resolves.toEqualTypeOf<Trainer>();
expectTypeOf<Trainer['fit']>().parameters.toEqualTypeOf<[Dataset, FitOptions]>();
expectTypeOf<Trainer['fit']>().returns.resolves.toEqualTypeOf<readonly EpochRecord[]>();
expectTypeOf<Trainer['state']>().returns.resolves.toEqualTypeOf<TrainingState>();
expectTypeOf<FitOptions['onBatchEnd']>().toEqualTypeOf<((event: BatchEvent) => void) | undefined>();
expectTypeOf<Dataset>().toEqualTypeOf<{
  readonly features: Float32Array;
  readonly rows: number;
  readonly cols: number;
  readonly targets: Float32Array;
}>();
expectTypeOf(chooseDevice).returns.resolves.toEqualTypeOf<DeviceChoice>();
expectTypeOf<DeviceChoice['trainerOptions']>().toEqualTypeOf<TrainerOptions>();

// Saving and loading: models and checkpoints are bytes.
expectTypeOf(encodeModel).parameters.toEqualTypeOf<[Model]>();
expectTypeOf(encodeModel).returns.toEqualTypeOf<Uint8Array>();
expectTypeOf(decodeModel).parameter(0).toEqualTypeOf<Uint8Array>();
expectTypeOf(decodeModel).returns.toEqualTypeOf<Model>();
expectTypeOf(encodeCheckpoint).parameters.toEqualTypeOf<[Checkpoint]>();
expectTypeOf(decodeCheckpoint).returns.toEqualTypeOf<Checkpoint>();
expectTypeOf<Checkpoint>().toExtend<TrainingState>();

// Data and preprocessing.
expectTypeOf(readCsv).parameter(1).toEqualTypeOf<CsvOptions | undefined>();
expectTypeOf(readCsv).returns.resolves.toEqualTypeOf<Table>();
expectTypeOf(fitPreprocessing).parameter(1).toEqualTypeOf<PreprocessOptions | undefined>();
expectTypeOf(fitPreprocessing).returns.toEqualTypeOf<Preprocessing>();
expectTypeOf(encodeRecord).parameters.toEqualTypeOf<[Preprocessing, RawRecord, string?, EncodeOptions?]>();
expectTypeOf(encodeRecord).returns.toEqualTypeOf<Float32Array>();

// Scoring.
expectTypeOf(classificationReport).returns.toEqualTypeOf<ClassificationReport>();
expectTypeOf(regressionReport).returns.toEqualTypeOf<RegressionReport>();

// Errors: one base class with a stable code; the user-facing ones extend it.
expectTypeOf<InvalidArgumentError>().toExtend<OnnxMlpError>();
expectTypeOf<DataError>().toExtend<OnnxMlpError>();
expectTypeOf<OnnxMlpError['code']>().toEqualTypeOf<string>();

// Internals are not on the root.
// @ts-expect-error the op registry lives in @onnx-mlp/core/ops
expectTypeOf(core.defineOp);
// @ts-expect-error metadata keys are internal
expectTypeOf(core.META);
// @ts-expect-error the IR lives in @onnx-mlp/core/ir
expectTypeOf(core.GraphBuilder);
