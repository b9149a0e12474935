import { execFile } from 'node:child_process';
import { readFile, realpath } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('..', import.meta.url));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs npm or npx in the repository root and collects what it printed. */
function npm(command: 'npm' | 'npx', args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: REPO, timeout: 120_000, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

// npm links a workspace's bin at install time only when its file exists: the bin is a checked-in
// launcher, so a clean `npm ci` links it and `npx` finds it locally instead of asking the registry.
it('npx onnx-mlp runs the workspace CLI from the repository root, without the registry', async () => {
  const cli = JSON.parse(await readFile(join(REPO, 'packages/cli/package.json'), 'utf8')) as {
    version: string;
    bin: Record<string, string>;
  };
  expect(await realpath(join(REPO, 'node_modules/.bin/onnx-mlp'))).toBe(join(REPO, 'packages/cli', cli.bin['onnx-mlp']!));
  const r = await npm('npx', ['--no-install', 'onnx-mlp', '--version']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout.trim()).toBe(cli.version);
}, 130_000);

// Every dependency's install script is reviewed in package.json's allowScripts (npm ci warns about
// none), and npm's config has no key it does not know (npm 11 warns that such keys stop working).
it('npm knows every project config key and every install script is reviewed', async () => {
  const r = await npm('npm', ['install-scripts', 'ls', '--json']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stderr).not.toMatch(/warn/i);
  expect(JSON.parse(r.stdout)).toEqual({ allowScripts: [] });
}, 130_000);

// onnxruntime-node's postinstall downloads the CUDA provider from NuGet, outside the npm registry:
// npm must not run it. Asked to run it in the foreground, npm prints `> onnxruntime-node@… postinstall`
// when it does; ONNXRUNTIME_NODE_INSTALL=skip keeps even a regression from downloading anything.
it("npm does not run onnxruntime-node's install script (the CUDA download)", async () => {
  const r = await npm('npm', ['rebuild', 'onnxruntime-node', '--foreground-scripts'], { ONNXRUNTIME_NODE_INSTALL: 'skip' });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/rebuilt dependencies successfully/);
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/postinstall|script\/install/);
}, 130_000);

/** The files `entry` (relative to packages/cli) imports by relative path, and their source maps, itself included, transitively. */
async function relativeImportClosure(entry: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (file.endsWith('.map')) continue;
    const code = await readFile(join(REPO, 'packages/cli', file), 'utf8');
    const imports = [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.\.?\/[^"']+)["']/g)].map((m) => m[1]!);
    const map = /\n\/\/# sourceMappingURL=(\S+)\s*$/.exec(code)?.[1];
    for (const path of map === undefined ? imports : [...imports, map])
      pending.push(posix.normalize(posix.join(posix.dirname(file), path)));
  }
  return seen;
}

// The bin runs the bundle: the published package must hold it, every chunk it loads, their maps and the help pages.
it('the CLI package holds the bin, the bundle and every chunk the bundle loads', async () => {
  const r = await npm('npm', ['pack', '--dry-run', '--json', '--workspace', 'packages/cli']);
  expect(r.code, r.stderr).toBe(0);
  const packed = new Set((JSON.parse(r.stdout) as [{ files: { path: string }[] }])[0].files.map((f) => f.path));
  const needed = [...(await relativeImportClosure('bin/onnx-mlp.js'))];
  expect(needed).toContain('bundle/main.js');
  expect(needed).toContain('bundle/main.js.map');
  expect(needed.length).toBeGreaterThan(10);
  // The stored help pages the bin prints (read as a file, so not an import the closure finds).
  expect(needed).toContain('bundle/help-pages.js');
  expect([...needed, 'package.json', 'bundle/help-pages.json'].filter((f) => !packed.has(f))).toEqual([]);
}, 130_000);
