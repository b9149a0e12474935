import { join } from 'node:path';
import { encodeModel, type Model } from '@onnx-mlp/core';
import { writeFileAtomic } from '../io/atomic-write.js';

/** The files of a run folder, by role. */
export const RUN_FILES = {
  model: 'model.onnx',
  trainingModel: 'training_model.onnx',
  epochModel: 'training_epoch_model.onnx',
  evalModel: 'eval_model.onnx',
  /** Tabular runs only: raw columns to the training graphs' `input`. */
  preprocessModel: 'preprocess_model.onnx',
  checkpoint: 'checkpoint.ckpt',
  history: 'history.json',
  config: 'config.json',
  /** --profile's op-type table (ORT's own traces sit beside it as profile_*.json). */
  profileTable: 'profile.md',
} as const;

/** The name of one file of a run folder. */
export type RunFile = (typeof RUN_FILES)[keyof typeof RUN_FILES];

/** Writes a run folder's files, each atomically (a reader never sees half a checkpoint). */
export class RunFiles {
  constructor(readonly dir: string) {}

  /** Absolute or cwd-relative path of one of the run's files. */
  path(file: RunFile): string {
    return join(this.dir, file);
  }

  /** Writes a model as .onnx bytes. */
  async writeModel(file: RunFile, model: Model | Uint8Array): Promise<void> {
    await writeFileAtomic(this.path(file), model instanceof Uint8Array ? model : encodeModel(model));
  }

  /** Writes a value as indented JSON with a final newline. */
  async writeJson(file: RunFile, value: unknown): Promise<void> {
    await writeFileAtomic(this.path(file), `${JSON.stringify(value, null, 2)}\n`);
  }

  /** Writes raw bytes (the checkpoint). */
  async writeBytes(file: RunFile, bytes: Uint8Array): Promise<void> {
    await writeFileAtomic(this.path(file), bytes);
  }
}
