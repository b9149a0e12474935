import { dirname } from 'node:path';
import * as ort from 'onnxruntime-node';
import { totalmem } from 'node:os';
import { buildTrainingArtifacts, chooseDevice, type EpochRecord } from '@onnx-mlp/core';
import { checkModelSize } from '@onnx-mlp/core/model';
import { deviceNotice } from '../core-wording.js';
import { UserError } from '../errors.js';
import { readPrivateKey } from '../integrity/keys.js';
import { checkOutputTarget } from '../io/output-target.js';
import { RunFolderGuard } from '../io/run-guard.js';
import { removeStaleTempFiles } from '../io/stale-temps.js';
import type { TrainConfig } from './config.js';
import { resolveClassWeights, scheduleWithSteps, specForData, stepOptions } from './controls.js';
import { fitModel, streamedBatches } from './fit-model.js';
import { recordedConfig } from './model-bytes.js';
import type { TestScore, TrainProgress } from './progress.js';
import type { PreparedRun, RunContext } from './run-context.js';
import { RUN_FILES, RunFiles } from './run-files.js';
import { writeRunGraphs } from './run-graphs.js';
import { writeOutputs } from './run-outputs.js';
import { readResumePoint, type ResumePoint } from './resume.js';
import { loadTrainingData, type TrainingData } from './training-data.js';
import { planPrivacy, privacyNotices } from './resolve-privacy.js';

/** What a finished run produced. */
export interface TrainResult {
  readonly runFolder: string;
  readonly test: TestScore;
  readonly history: readonly EpochRecord[];
}

/**
 * `onnx-mlp train`: loads and checks everything first, then creates the run folder, trains with a
 * checkpoint after every epoch, and writes the inference model (and --out). Nothing is written
 * unless the data loaded and the output target is usable. Everything the user sees goes through
 * `progress` (plain lines, a live bar, or JSON events); its `close` is called however the run ends.
 */
export async function runTraining(
  requested: TrainConfig,
  progress: TrainProgress,
  given: { epochsGiven: boolean; profile?: boolean } = { epochsGiven: true },
): Promise<TrainResult> {
  const guard = new RunFolderGuard(RUN_FILES.checkpoint);
  try {
    const run = await prepareRun(requested, given.epochsGiven);
    try {
      const ctx = await openRun(run, progress, guard);
      const trained = await fitModel(ctx, { profile: given.profile ?? false });
      const test = await writeOutputs(ctx, trained);
      return { runFolder: ctx.folder, test, history: trained.history };
    } finally {
      // --stream's preprocessing session outlives training: the model card scores the validation chunks it makes.
      await run.data.stream?.release();
    }
  } finally {
    await guard.release();
    progress.close();
  }
}

/** Everything that can fail on a user's mistake, before anything is written: outputs, checkpoint, data, settings, graphs. */
async function prepareRun(requested: TrainConfig, epochsGiven: boolean): Promise<PreparedRun> {
  const resumed = requested.resume === null ? undefined : await readResumePoint(requested.resume, requested, epochsGiven);
  await checkOutputs(requested, (resumed?.config ?? requested).dataset);
  const signKey = (resumed?.config ?? requested).signKey;
  const signer = signKey === null ? null : await readPrivateKey(signKey);
  const data = await loadTrainingData(resumed?.config ?? requested);
  const { config, classWeights, privacy } = resolveRun(resumed?.config ?? requested, data, resumed);
  const artifacts = buildTrainingArtifacts(config.spec, config.optimizer, stepOptions(config, classWeights));
  // The graphs hold no weights yet: a model that cannot fit is refused before any is allocated.
  checkModelSize(config.spec, { slots: artifacts.slots.length, memoryBytes: totalmem() });
  return { config, data, classWeights, artifacts, resumed, signer, privacy };
}

/**
 * --out and --report can be written without damage (never onto an input file, even with --force);
 * temp files that ended processes left in their folders are removed.
 */
async function checkOutputs(requested: TrainConfig, dataset: TrainConfig['dataset']): Promise<void> {
  const inputs = [dataset?.file, dataset?.val, dataset?.test, dataset?.labels];
  for (const [option, path] of [['out', requested.out] as const, ['report', requested.report] as const]) {
    if (path === null) continue;
    const target = await checkOutputTarget(path, { force: requested.force, inputs, option });
    if (target.kind === 'file') await removeStaleTempFiles(dirname(target.path));
  }
}

/**
 * Fits the configuration to the data: the spec's widths and task, class weights (checked against
 * the classes), the schedule's length in steps. On resume, the data must still be what the run
 * trained on: the same preprocessing, classes and widths.
 */
function resolveRun(
  config: TrainConfig,
  data: TrainingData,
  resumed: ResumePoint | undefined,
): Pick<PreparedRun, 'config' | 'classWeights' | 'privacy'> {
  const spec = resumed ? resumed.checkpoint.spec : specForData(config, data);
  if (resumed) {
    const saved = resumed.recorded;
    const same =
      spec.inputs === data.inputs &&
      spec.outputs === data.outputs &&
      spec.task === data.task &&
      (saved.preprocessing === undefined || JSON.stringify(saved.preprocessing) === JSON.stringify(data.preprocessing)) &&
      (saved.classNames === undefined || JSON.stringify(saved.classNames) === JSON.stringify(data.classNames));
    if (!same) {
      throw new UserError(
        `--resume ${resumed.config.resume}: the data (${config.dataset?.file ?? 'MNIST'}) is no longer what the run trained on: its columns, statistics or classes differ`,
      );
    }
  }
  const classWeights = resolveClassWeights(config.classWeights, data);
  // A privacy budget may allow fewer epochs than asked; σ solved from it is recorded for --resume.
  const privacy = planPrivacy(config, data.train.rows);
  const epochs = privacy?.epochs ?? config.epochs;
  const schedule = scheduleWithSteps(config.schedule, epochs, data.train.rows, config.batchSize);
  const dp = privacy && { ...config.privacy!, noiseMultiplier: privacy.noiseMultiplier };
  return { config: { ...config, spec, schedule, epochs, privacy: dp }, classWeights, privacy };
}

/**
 * Chooses the device, creates the run folder (or reuses the resumed one), announces the run and, for
 * a new run, writes its config and graphs.
 */
async function openRun(run: PreparedRun, progress: TrainProgress, guard: RunFolderGuard): Promise<RunContext> {
  const { config, data, resumed } = run;
  const sessionOptions = { intraOpNumThreads: config.threads, interOpNumThreads: 1 };
  // A provider that fails to load is an answer (chooseDevice reports it), not something for ORT's own log.
  if (!config.verbose) ort.env.logLevel = 'fatal';
  const device = await chooseDevice(ort, config.device, sessionOptions);
  if (device.notice) progress.notice(deviceNotice(device)!);
  for (const notice of data.notices) progress.notice(notice);
  if (run.privacy) for (const notice of privacyNotices(run.privacy, data.preprocessing !== null)) progress.notice(notice);

  const folder = resumed ? resumed.config.resume! : await guard.create(config.runsDir);
  if (resumed) for (const notice of await guard.adopt(folder)) progress.notice(notice);
  const files = new RunFiles(folder);
  const recorded = recordedConfig(run);
  progress.start({
    runFolder: folder,
    config: recorded,
    resumedAfterEpoch: resumed ? resumed.checkpoint.epoch : null,
    device: device.device,
    batchesPerEpoch: data.stream
      ? streamedBatches(data.rows.train, config.dataset!.stream!.shuffleBuffer, config.batchSize)
      : Math.ceil(data.train.rows / config.batchSize),
    trainRows: data.rows.train,
    testRows: data.rows.test,
    ...(data.rows.validation !== null ? { valRows: data.rows.validation } : {}),
    ...(data.preprocessing ? { summary: `data: ${data.description}` } : {}),
  });
  if (!resumed) {
    await files.writeJson(RUN_FILES.config, recorded);
    await writeRunGraphs(files, run);
  }
  return { run, device, sessionOptions, folder, files, recorded, progress };
}
