import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError, decodeCheckpoint, mlpSpec, type Checkpoint } from '@onnx-mlp/core';
import { packTensors, parameterLayout } from '@onnx-mlp/core/internal';
import { optimizerRule, validateOptimizer } from '@onnx-mlp/core/optimizers';
import { UserError } from '../errors.js';
import { fileError } from '../io/fs-error.js';
import { withDefaults, type TrainConfig } from './config.js';
import { alreadyStopped } from './controls.js';
import { parseRecordedConfig } from './recorded-config.js';
import { checkpointMismatch, counterProblem } from './resume-check.js';
import { RUN_FILES } from './run-files.js';

/** A run folder's last checkpoint and the configuration it was started with. */
export interface ResumePoint {
  readonly checkpoint: Checkpoint;
  /** The run's config, with --epochs (when given) and the session-only options of this invocation. */
  readonly config: TrainConfig;
  /** config.json as the run wrote it (with what it recorded about its data: preprocessing, class names). */
  readonly recorded: Readonly<Record<string, unknown>>;
}

async function readRunFile(folder: string, file: string): Promise<Buffer> {
  try {
    return await readFile(join(folder, file));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      if (file === RUN_FILES.checkpoint && existsSync(join(folder, RUN_FILES.config))) {
        throw new UserError(
          `--resume ${folder}: no epoch completed in this run (no ${file}; it stopped before its first checkpoint): start a new run`,
        );
      }
      throw new UserError(`--resume ${folder}: no ${file} there (is it a run folder written by onnx-mlp train?)`);
    }
    throw fileError(e, 'read', join(folder, file));
  }
}

/** The checkpoint of run folder `folder`, decoded and checked (its spec and optimizer are valid). */
async function readCheckpoint(folder: string): Promise<Checkpoint> {
  const bytes = await readRunFile(folder, RUN_FILES.checkpoint);
  try {
    const checkpoint = decodeCheckpoint(bytes);
    mlpSpec(checkpoint.spec);
    validateOptimizer(checkpoint.optimizer);
    const problem = counterProblem(checkpoint);
    if (problem !== null) throw new Error(problem);
    // Every parameter and optimizer-state tensor with its layer's shape, before a session is fed them.
    const layout = parameterLayout(checkpoint.spec);
    packTensors(layout, checkpoint.parameters);
    for (const slot of optimizerRule(checkpoint.optimizer).slots) packTensors(layout, checkpoint.optimizerState, `.${slot}`);
    return checkpoint;
  } catch (e) {
    throw new CheckpointError(`--resume ${folder}: ${RUN_FILES.checkpoint} is unreadable: ${(e as Error).message}`);
  }
}

/**
 * Reads `<folder>/checkpoint.ckpt` and `<folder>/config.json`, and checks that they belong together:
 * a checkpoint whose architecture, task, columns or optimizer differ from config.json is refused with
 * the first difference; a corrupt config.json is named. The checkpoint holds the weights,
 * optimizer state, step, generator state and history of the last completed epoch, so training
 * continues exactly as if it had never stopped.
 */
export async function readResumePoint(folder: string, current: TrainConfig, epochsGiven: boolean): Promise<ResumePoint> {
  const checkpoint = await readCheckpoint(folder);
  const configPath = join(folder, RUN_FILES.config);
  const recorded = parseRecordedConfig(configPath, (await readRunFile(folder, RUN_FILES.config)).toString('utf8'));
  const mismatch = checkpointMismatch(checkpoint, recorded);
  if (mismatch !== null) {
    throw new UserError(
      `--resume ${folder}: ${RUN_FILES.checkpoint} is not this run's (${mismatch}); it was copied from another run or the files were edited`,
    );
  }
  const saved = withDefaults(recorded as unknown as TrainConfig);
  const epochs = epochsGiven ? current.epochs : saved.epochs;
  if (alreadyStopped(saved.earlyStopping, checkpoint.history)) {
    throw new UserError(
      `--resume ${folder}: the run already stopped early after epoch ${checkpoint.epoch} (val_loss stopped improving); there is nothing to continue`,
    );
  }
  // A run killed after its last checkpoint but before model.onnx resumes with no epoch left: it only
  // writes the outputs. (With early stopping the best epoch's weights live only in the killed process.)
  const outputsWritten = existsSync(join(folder, RUN_FILES.model));
  if (checkpoint.epoch >= epochs && (outputsWritten || saved.earlyStopping !== null)) {
    throw new UserError(
      `--resume ${folder}: the run already completed ${checkpoint.epoch} of ${epochs} epochs; pass a larger --epochs to train on`,
    );
  }
  return {
    checkpoint,
    config: {
      ...saved,
      spec: checkpoint.spec,
      optimizer: checkpoint.optimizer,
      epochs,
      threads: current.threads,
      device: current.device,
      quiet: current.quiet,
      verbose: current.verbose,
      out: current.out,
      report: current.report,
      force: current.force,
      resume: folder,
    },
    recorded,
  };
}
