import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI entry point (`npm test` builds it first; `npx tsc -b packages/cli` by hand). */
export const CLI_PATH = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url));

/** What one CLI process did. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node packages/cli/dist/main.js ...args` in `cwd` and collects its exit code and output. */
export function runCli(args: readonly string[], options: { cwd: string; timeoutMs?: number }): Promise<CliResult> {
  if (!existsSync(CLI_PATH)) throw new Error(`${CLI_PATH} is missing: build first (npx tsc -b packages/core packages/cli)`);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI_PATH, ...args], { cwd: options.cwd, timeout: options.timeoutMs ?? 60_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}
