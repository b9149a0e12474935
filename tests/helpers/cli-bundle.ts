import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode } from './run-cli.js';

/** The repository root. */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The bundled CLI entry the bin imports (packages/cli/rolldown.config.mjs writes it). */
export const BUNDLE_ENTRY = join(REPO, 'packages/cli/bundle/main.js');
/** The tsc output the bundle is made from. */
const BUNDLED_DIST = ['packages/core/dist', 'packages/cli/dist'].map((d) => join(REPO, d));

/** The dist/*.js files written after the bundle: what a bundle built before them would miss. */
export function newerThanBundle(): string[] {
  const built = statSync(BUNDLE_ENTRY).mtimeMs;
  return BUNDLED_DIST.flatMap((dir) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.js'))
      .map((name) => join(dir, name))
      .filter((file) => statSync(file).mtimeMs > built),
  );
}

let checked = false;

/**
 * Throws unless the bundle exists and is newer than every dist module: CLI tests run the bin, and a
 * `tsc -b` without `npm run build` would otherwise test yesterday's bundle without saying so.
 */
export function requireFreshBundle(): void {
  if (checked) return;
  if (!existsSync(BUNDLE_ENTRY)) throw new Error(`${BUNDLE_ENTRY} is missing: build first (npm run build)`);
  const stale = newerThanBundle();
  if (stale.length > 0) throw new Error(`the CLI bundle is older than ${relative(REPO, stale[0]!)}: rebuild (npm run build)`);
  checked = true;
}

/**
 * The files (relative to the repository) whose code Node loaded while running `node ENTRY ...args`,
 * from V8's coverage report (NODE_V8_COVERAGE lists every script a process compiled), and its exit code.
 * `env` is the process's environment (default: this one's).
 */
export async function loadedFiles(
  entry: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; files: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'onnx-mlp-coverage-'));
  try {
    const { code } = await runNode(entry, args, { cwd: REPO, env: { ...env, NODE_V8_COVERAGE: dir } });
    const urls = new Set<string>();
    for (const name of await readdir(dir)) {
      const report = JSON.parse(await readFile(join(dir, name), 'utf8')) as { result: { url: string }[] };
      for (const { url } of report.result) if (url.startsWith('file:')) urls.add(relative(REPO, fileURLToPath(url)));
    }
    return { code, files: [...urls].sort() };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** This environment with yargs' locale variables set to `LANG=lang` alone (the others empty, i.e. unset for yargs). */
export function withLang(lang: string): NodeJS.ProcessEnv {
  return { ...process.env, LANG: lang, LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' };
}
