import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointError, decodeCheckpoint, type Checkpoint } from '@onnx-mlp/core';
import { UserError } from '../errors.js';
import { withDefaults, type TrainConfig } from './config.js';
import { alreadyStopped } from './controls.js';
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
    throw e;
  }
}

/**
 * Reads `<folder>/checkpoint.ckpt` and `<folder>/config.json`. The checkpoint holds the weights,
 * optimizer state, step, generator state and history of the last completed epoch, so training
 * continues exactly as if it had never stopped.
 */
export async function readResumePoint(folder: string, current: TrainConfig, epochsGiven: boolean): Promise<ResumePoint> {
  let checkpoint: Checkpoint;
  try {
    checkpoint = decodeCheckpoint(await readRunFile(folder, RUN_FILES.checkpoint));
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new CheckpointError(`--resume ${folder}: ${RUN_FILES.checkpoint} is unreadable: ${(e as Error).message}`);
  }
  const recorded = JSON.parse((await readRunFile(folder, RUN_FILES.config)).toString('utf8')) as Record<string, unknown>;
  const saved = withDefaults(recorded as unknown as TrainConfig);
  const epochs = epochsGiven ? current.epochs : saved.epochs;
  if (alreadyStopped(saved.earlyStopping, checkpoint.history)) {
    throw new UserError(
      `--resume ${folder}: the run already stopped early after epoch ${checkpoint.epoch} (val_loss stopped improving); there is nothing to continue`,
    );
  }
  if (checkpoint.epoch >= epochs) {
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
