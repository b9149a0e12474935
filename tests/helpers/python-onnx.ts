import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's interpreter: its `python3-onnx` package installs there (the pyenv `python3` lacks it). */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/**
 * Imports onnx in /usr/bin/python3 (Debian's python3-onnx; `npm run setup:test` installs it) and
 * resolves to its version; rejects with Python's own error when it cannot.
 */
export async function importOnnx(): Promise<string> {
  const { stdout } = await run(SYSTEM_PYTHON, ['-c', 'import onnx; print(onnx.__version__)'], { timeout: 60_000 });
  return stdout.trim();
}

/** What `onnx.checker` and `onnx.load` say about one file. */
export interface OnnxCheck {
  readonly path: string;
  /** null when check_model(full_check=True) passed, else its error. */
  readonly error: string | null;
  readonly irVersion: number;
  readonly opsets: Array<[string, number]>;
  readonly nodeDomains: string[];
}

const CHECK_SCRIPT = `
import json, sys, onnx
out = []
for path in sys.argv[1:]:
    model = onnx.load(path)
    try:
        onnx.checker.check_model(model, full_check=True)
        error = None
    except Exception as e:
        error = str(e)
    out.append({"path": path, "error": error, "irVersion": model.ir_version,
                "opsets": [[o.domain, o.version] for o in model.opset_import],
                "nodeDomains": sorted({n.domain for n in model.graph.node})})
print(json.dumps(out))
`;

/** Runs onnx.checker.check_model(onnx.load(path), full_check=True) on each file in one Python process. */
export async function checkWithOnnx(paths: readonly string[]): Promise<OnnxCheck[]> {
  const { stdout } = await run(SYSTEM_PYTHON, ['-c', CHECK_SCRIPT, ...paths], { timeout: 120_000, maxBuffer: 16 << 20 });
  return JSON.parse(stdout) as OnnxCheck[];
}
