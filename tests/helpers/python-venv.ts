import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type MissingTool, requireTool } from './require-tool.js';
import { SYSTEM_PYTHON } from './python-onnx.js';

const run = promisify(execFile);

export { SYSTEM_PYTHON };

/**
 * The test venv's interpreter: `.venv-test/` at the repository root, made by `npm run setup:test`
 * (component python-venv) from the exact versions in scripts/python-test-requirements.txt.
 */
export const VENV_PYTHON = fileURLToPath(new URL('../../.venv-test/bin/python', import.meta.url));

/** Runs `python -c code` and resolves to its trimmed stdout; rejects with Python's own error. */
async function pythonOutput(python: string, code: string): Promise<string> {
  const { stdout } = await run(python, ['-c', code], { timeout: 120_000 });
  return stdout.trim();
}

/**
 * The venv's python once `modules` import there (resolves to the interpreter path); under CI a
 * missing venv or module fails, otherwise the caller skips with the MissingTool's note.
 */
export function requireVenvPython(modules: readonly string[]): Promise<string | MissingTool> {
  return requireTool(`the Python test venv (${VENV_PYTHON}) with ${modules.join(', ')}`, async () => {
    await pythonOutput(VENV_PYTHON, modules.map((m) => `import ${m}`).join('; '));
    return VENV_PYTHON;
  });
}

/** /usr/bin/python3 once Debian's `modules` (python3-opencv's cv2, python3-onnx's onnx) import there. */
export function requireSystemPython(modules: readonly string[]): Promise<string | MissingTool> {
  return requireTool(`${SYSTEM_PYTHON} with Debian's ${modules.join(', ')}`, async () => {
    await pythonOutput(SYSTEM_PYTHON, modules.map((m) => `import ${m}`).join('; '));
    return SYSTEM_PYTHON;
  });
}
