// @onnx-mlp/core/artifacts: the ONNX models a run is made of (training step, epoch Loop, eval,
// inference, preprocessing) and the checkpoint format.
import '../ops/index.js'; // artifacts are built graphs
export { buildTrainingArtifacts } from '../artifacts/training-artifacts.js';
export type { TrainingArtifacts } from '../artifacts/training-artifacts.js';
export { buildTrainStep, buildEvalStep, emitTrainStep } from '../artifacts/train-step.js';
export type { TrainStepOptions, TrainStepConfig, StepInputs, StepOutputs } from '../artifacts/train-step.js';
export { buildTrainEpoch } from '../artifacts/epoch-model.js';
export { buildInferenceModel, buildPreprocessModel } from '../artifacts/inference-model.js';
export { withRunFacts } from '../artifacts/run-facts.js';
export type { RunFacts } from '../artifacts/run-facts.js';
export { targetLayout } from '../artifacts/target-layout.js';
export type { TargetLayout } from '../artifacts/target-layout.js';
export type { InferenceInfo } from '../artifacts/inference-model.js';
export { encodeCheckpoint, decodeCheckpoint, CheckpointError } from '../artifacts/checkpoint.js';
export type { Checkpoint } from '../artifacts/checkpoint.js';
export type { ArtifactKind } from '../artifacts/metadata.js';
export { computeDigests, sealModel, checkIntegrity, readIntegrity, INTEGRITY_PARTS } from '../artifacts/integrity.js';
export type { ModelDigests, IntegrityCheck, IntegrityPart } from '../artifacts/integrity.js';
export { CARD_FORMAT, readModelCard, readCardView, withModelCard } from '../artifacts/model-card.js';
export type {
  ModelCard,
  CardView,
  CardDataFile,
  CardExcludedColumn,
  CardClassScores,
  CardClassifierMetrics,
  CardRegressionMetrics,
  CardSplitMetrics,
  CardEpoch,
  CardStatements,
} from '../artifacts/model-card.js';
export { cardMarkdown, cardSummaryLine, splitMetricsMarkdown } from '../artifacts/card-markdown.js';
export type { CardMarkdownOptions } from '../artifacts/card-markdown.js';
export { exportMissingMask, ExportError } from '../export/missing-mask.js';
export {
  MISSING_FORMS,
  MISSING_INPUT_NAME,
  MASK_MISSING_INPUT,
  maskMissingCells,
  missingForm,
  missingInputLine,
  readExportedFrom,
} from '../artifacts/missing-input.js';
export type { MissingForm, MissingInput, ExportedFrom } from '../artifacts/missing-input.js';
