import { buildPreprocessModel, withRunFacts } from '@onnx-mlp/core/artifacts';
import type { PreparedRun } from './run-context.js';
import { RUN_FILES, type RunFiles } from './run-files.js';

/**
 * Writes a new run's graphs: the training, epoch and eval models, each carrying the class names and
 * the preprocessing (their `target` layout is core's metadata), and for tabular data
 * preprocess_model.onnx, which turns raw columns into the `input` those graphs take.
 */
export async function writeRunGraphs(files: RunFiles, run: Pick<PreparedRun, 'artifacts' | 'data'>): Promise<void> {
  const { artifacts, data } = run;
  const facts = { classNames: data.classNames, preprocessing: data.preprocessing };
  await files.writeModel(RUN_FILES.trainingModel, withRunFacts(artifacts.trainingModel, facts));
  await files.writeModel(RUN_FILES.epochModel, withRunFacts(artifacts.epochModel, facts));
  await files.writeModel(RUN_FILES.evalModel, withRunFacts(artifacts.evalModel, facts));
  if (data.preprocessing) await files.writeModel(RUN_FILES.preprocessModel, buildPreprocessModel(data.preprocessing));
}
