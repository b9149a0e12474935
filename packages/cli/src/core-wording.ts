import { OnnxMlpError, type DeviceChoice } from '@onnx-mlp/core';

/**
 * Core's errors and notices name no command-line flag or workspace script (core also serves the
 * web package); this module words them for the command line from their `code` and `fields`.
 */

/** The workspace script that installs onnxruntime-node's CUDA provider (needs the internet and an NVIDIA GPU). */
export const INSTALL_CUDA_COMMAND = 'npm run install:cuda';

type Wording = (fields: Readonly<Record<string, unknown>>, message: string) => string;

const WORDINGS: Record<string, Wording> = {
  DEVICE_UNAVAILABLE: (f, message) => {
    const fix =
      f.failure === 'not-installed'
        ? `its binaries are not installed: run \`${INSTALL_CUDA_COMMAND}\` on a machine with an NVIDIA GPU and internet access`
        : f.failure === 'no-adapter'
          ? 'no WebGPU adapter was found (on Debian without a GPU, `npm run install:lavapipe` installs a software one)'
          : undefined;
    return fix === undefined ? message : `--device ${f.device} cannot start: ${fix} (${f.error})`;
  },
  TOO_MANY_CLASSES: (f) =>
    `label column "${f.column}" has more than ${f.limit} distinct values: too many classes (regression? --task regression)`,
  TOO_MANY_CATEGORIES: (_, message) => `${message} (--exclude)`,
  EXPLAIN: (f, message) => (f.baseline === 'mean' ? message.replace(/\(use zero\)$/, '(--baseline zero)') : message),
  MISSING_LABELS: (f) =>
    `label column "${f.column}" is missing in ${f.count} ${f.count === 1 ? 'row' : 'rows'} (the first: ${f.first}): fill them in, or leave those rows out with --drop-missing-label`,
  NONFINITE_VALUE: (_, message) => `${message}; --nonfinite missing reads such cells as missing`,
};

/** The message the CLI prints for `error`: a core error that concerns a flag is worded with the flag. */
export function cliMessage(error: unknown): string {
  const wording = error instanceof OnnxMlpError ? WORDINGS[error.code] : undefined;
  if (wording) return wording((error as OnnxMlpError).fields, (error as OnnxMlpError).message);
  return error instanceof Error ? error.message : String(error);
}

/** The notice for a device choice that fell back to the CPU, with the command that installs CUDA. */
export function deviceNotice(choice: DeviceChoice): string | undefined {
  if (!choice.fallback) return choice.notice;
  return `CUDA is not available (${INSTALL_CUDA_COMMAND} installs it where there is a GPU); training on the CPU`;
}
