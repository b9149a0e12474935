import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadedFiles, newerThanBundle, REPO } from './helpers/cli-bundle.js';
import { CLI_PATH as BIN, type CliResult, runCli, runNode } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

const DIST_MAIN = join(REPO, 'packages/cli/dist/main.js');

// The bin runs the bundle `npm run build` makes (packages/cli/rolldown.config.mjs), and every CLI
// test runs the bin: so the bundle is what the suite tests, and it must be the current code.
describe('the onnx-mlp bin runs the bundled CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir('cli-bundle');
  });
  afterAll(async () => removeDir(dir));

  it('is built after every dist module it is made from (npm run build bundles after tsc)', () => {
    expect(newerThanBundle()).toEqual([]);
  });

  it('--version through the bin loads the bundle and no dist module, and prints the package version', async () => {
    const { version } = JSON.parse(await readFile(join(REPO, 'packages/cli/package.json'), 'utf8')) as { version: string };
    expect((await runCli(['--version'], { cwd: dir })).stdout).toBe(`${version}\n`);
    const { code, files } = await loadedFiles(BIN, ['--version']);
    expect(code).toBe(0);
    expect(files).toContain('packages/cli/bundle/main.js');
    expect(files.filter((f) => f.includes('/dist/'))).toEqual([]);
  }, 60_000);

  // Source maps cost start-up time, so only --verbose (which prints stacks) turns them on.
  it("--verbose stack traces name the TypeScript sources' lines; without it, one line and no stack", async () => {
    const args = ['predict', 'no-such-model.onnx', '--data', 'rows.csv'];
    const verbose = await runCli([...args, '--verbose'], { cwd: dir });
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/\n {4}at readModelFile \(\S*packages\/cli\/src\/model\/read-model\.ts:\d+:\d+\)\n/);
    expect(verbose.stderr).not.toMatch(/packages\/cli\/bundle\//);
    const plain = await runCli(args, { cwd: dir });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toBe('onnx-mlp: no-such-model.onnx: not a readable ONNX model (no such file)\n');
  }, 60_000);
});

/** Runs `node ENTRY ...args` in the repository with LANG=`lang`; its exit code and output. */
function runWithLang(entry: string, args: readonly string[], lang: string): Promise<CliResult> {
  return runNode(entry, args, { cwd: REPO, env: { ...process.env, LANG: lang, LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' } });
}

// yargs finds its translations from its own file's URL: bundled, it must still find them.
describe('the bundle prints what dist/main.js prints', () => {
  for (const lang of ['C', 'de_DE.UTF-8']) {
    it(`--help, predict --help and a usage error, LANG=${lang}`, async () => {
      for (const args of [['--help'], ['predict', '--help'], ['predcit']]) {
        const [bundled, unbundled] = await Promise.all([runWithLang(BIN, args, lang), runWithLang(DIST_MAIN, args, lang)]);
        expect(bundled).toEqual(unbundled);
      }
      const help = await runWithLang(BIN, ['--help'], lang);
      expect(help.stdout).toContain(lang === 'C' ? '\nCommands:\n' : '\nKommandos:\n');
    }, 60_000);
  }
});
