import { confusionMatrix } from '@onnx-mlp/core/metrics';
import { privacyFacts } from '@onnx-mlp/core/privacy';
import { UserError } from '../errors.js';
import { writeOutputPath } from '../io/output-write.js';
import { trainingReport } from '../report/html-report.js';
import { buildModelCard } from './card-facts.js';
import { type InferenceExtras, inferenceBytes } from './model-bytes.js';
import { importanceMetadata } from './model-importance.js';
import { isAccuracy, stoppingLine, type TestScore } from './progress.js';
import type { RunContext, TrainedModel } from './run-context.js';
import { RUN_FILES } from './run-files.js';
import { FAIRNESS_METADATA_KEY } from '../fairness/fairness-report.js';
import { testFairness } from './test-fairness.js';
import { scoreModel } from './test-score.js';

/**
 * Scores the trained model on the test split with the model file's own bytes, then writes the HTML
 * report (--report), model.onnx with the test score in its facts (and --sensitive's per-group
 * metrics in its metadata), and --out; reports the end.
 */
export async function writeOutputs(ctx: RunContext, trained: TrainedModel): Promise<TestScore> {
  const {
    run: { config, data },
    folder,
  } = ctx;
  const plain = await inferenceBytes(ctx.run, trained);
  const test = await scoreModel(plain, data, ctx.sessionOptions);
  const fairness = testFairness(ctx.run, test);
  if (config.report !== null) await writeReport(ctx, trained, test);
  // Everything model.onnx states beyond the weights goes in before its one seal (and signature).
  const extras: InferenceExtras = {
    card: await buildModelCard(ctx, trained, plain),
    metadata: {
      ...(fairness ? { [FAIRNESS_METADATA_KEY]: JSON.stringify(fairness) } : {}),
      ...(await importanceMetadata(plain, data.test)),
    },
  };
  const model = await inferenceBytes(ctx.run, trained, test, extras);
  await ctx.files.writeModel(RUN_FILES.model, model);
  if (config.out !== null) await writeOut(config.out, model, config.force, folder);
  ctx.progress.end({
    runFolder: folder,
    test,
    epochs: config.epochs,
    out: config.out,
    rowsWord: data.rowsWord,
    stopping: trained.stopping,
    ...(fairness ? { fairness } : {}),
    ...(ctx.run.privacy ? { privacy: privacyFacts(ctx.run.privacy, trained.history.at(-1)?.epoch ?? 0) } : {}),
  });
  return test;
}

/** --report FILE: curves, confusion matrix (classification), settings and results in one HTML file. */
async function writeReport(ctx: RunContext, trained: TrainedModel, test: TestScore): Promise<void> {
  const {
    run: { config, data },
    folder,
  } = ctx;
  const names = data.classNames ?? [];
  const results: Record<string, string> = isAccuracy(test)
    ? { 'test accuracy': `${(test.accuracy * 100).toFixed(2)}% (${test.correct} of ${test.rows})` }
    : { 'test MSE': test.mse.toPrecision(6), 'test MAE': test.mae.toPrecision(6), 'test R²': test.r2.toFixed(4) };
  if (trained.stopping) results['early stopping'] = stoppingLine(trained.stopping, config.epochs).replace(/^early stopping: /, '');
  const html = trainingReport({
    title: `onnx-mlp training report — ${folder}`,
    history: trained.history,
    settings: ctx.recorded,
    ...(isAccuracy(test)
      ? {
          confusion: {
            matrix: confusionMatrix(data.test.targets, test.predicted, names.length),
            classNames: names,
            split: `held-out test split, ${test.rows} ${data.rowsWord}`,
          },
        }
      : {}),
    results: { ...results, 'run folder': folder },
  });
  await writeOutputPath(config.report!, new TextEncoder().encode(html), { replace: config.force, option: 'report' });
}

/** Copies the model to --out; without --force a file that appeared during training is left alone. */
async function writeOut(path: string, model: Uint8Array, force: boolean, runFolder: string): Promise<void> {
  try {
    await writeOutputPath(path, model, { replace: force, option: 'out' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    throw new UserError(`--out ${path}: file appeared during training; add --force to replace it (the model is in ${runFolder})`);
  }
}
