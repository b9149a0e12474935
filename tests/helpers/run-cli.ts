import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { requireFreshBundle } from './cli-bundle.js';

/** What users run: the `onnx-mlp` bin, which runs the bundle `npm run build` makes (`npm test` builds first). */
export const CLI_PATH = fileURLToPath(new URL('../../packages/cli/bin/onnx-mlp.js', import.meta.url));

/** What one CLI process did. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node SCRIPT ...args` in `cwd` (with `env` if given) and collects its exit code and output. */
export function runNode(
  script: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const { cwd, env, timeoutMs = 60_000 } = options;
    execFile(process.execPath, [script, ...args], { cwd, timeout: timeoutMs, ...(env ? { env } : {}) }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** Runs `node packages/cli/bin/onnx-mlp.js ...args` in `cwd` and collects its exit code and output. */
export function runCli(args: readonly string[], options: { cwd: string; timeoutMs?: number }): Promise<CliResult> {
  requireFreshBundle();
  return runNode(CLI_PATH, args, options);
}

/** A CLI process started in the background, and what it did once it exits. */
export interface CliChild {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; stderr: string }>;
}

/** Starts `node packages/cli/bin/onnx-mlp.js ...args` in `cwd` without waiting: for tests that signal or race it. */
export function startCli(args: readonly string[], options: { cwd: string }): CliChild {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd: options.cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
  return { child, done };
}

/** Polls `check` until it holds; throws after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The pid of a process that has ended (for stale locks and temp files). */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}
