import type { KeyObject } from 'node:crypto';
import { encodeModel } from '@onnx-mlp/core';
import { ExportError, checkIntegrity, exportMissingMask, readIntegrity } from '@onnx-mlp/core/artifacts';
import { NotInferenceModelError, readInferenceMetadata } from '@onnx-mlp/core/inspect';
import { cliMessage } from '../core-wording.js';
import { OptionError, UserError } from '../errors.js';
import { differsLine } from '../integrity/require-intact.js';
import { signModel } from '../integrity/signature.js';
import type { OutputTarget } from '../io/output-target.js';
import { writeOutput } from '../io/output-write.js';
import { NotAnInferenceModelError } from '../model/inference-model.js';
import { readModelFile } from '../model/read-model.js';

/** What `onnx-mlp export` writes, and where. */
export interface MissingExportRequest {
  readonly model: string;
  /** `--out` as given, for messages. */
  readonly out: string;
  readonly target: OutputTarget;
  readonly force: boolean;
  /** Signs the export's new digest (the source's signature cannot carry over). */
  readonly signer?: KeyObject;
}

/** What was written: the export's digest and its task. */
export interface MissingExportResult {
  readonly digest: string;
  readonly task: string;
}

/** The export of the model at `path`, from core, with core's refusals worded as one line naming the file. */
async function exported(path: string) {
  const { model } = await readModelFile(path, 'export');
  // The export is sealed anew: a source that fails its own digest must not be laundered into a valid one
  // (so no --no-verify here, unlike predict).
  const check = await checkIntegrity(model);
  if (check.status === 'mismatch')
    throw new UserError(`${path}: ${differsLine(check.differs)}; refusing to export it (onnx-mlp verify ${path} for details)`);
  try {
    return await exportMissingMask(model);
  } catch (e) {
    if (e instanceof NotInferenceModelError) throw new NotAnInferenceModelError('export', path, e.what);
    if (e instanceof ExportError) throw new UserError(`${path} ${cliMessage(e)}`, { cause: e });
    throw e;
  }
}

/**
 * Reads, checks and exports `request.model` with a `missing` mask input (core's exportMissingMask),
 * signs it when asked and writes it to `--out` atomically, never over a file without --force.
 */
export async function writeMissingExport(request: MissingExportRequest): Promise<MissingExportResult> {
  const sealed = await exported(request.model);
  const model = request.signer ? signModel(sealed, request.signer) : sealed;
  try {
    await writeOutput(request.target, encodeModel(model), request.force);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    throw new OptionError('out', request.out, 'a file appeared there meanwhile; add --force to replace it');
  }
  return { digest: readIntegrity(model)!.digest, task: readInferenceMetadata(model).task };
}
