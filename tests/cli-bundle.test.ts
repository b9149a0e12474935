import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../packages/cli/src/commands/command-list.js';
import { HELP_PAGES_FILE, helpPageCommandLines } from '../packages/cli/src/help-pages.js';
import { BUNDLE_ENTRY, loadedFiles, newerThanBundle, REPO, withLang } from './helpers/cli-bundle.js';
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

  it('--version through the bin prints the package version; yargs in the bundle prints the same', async () => {
    const { version } = JSON.parse(await readFile(join(REPO, 'packages/cli/package.json'), 'utf8')) as { version: string };
    expect((await runCli(['--version'], { cwd: dir })).stdout).toBe(`${version}\n`);
    expect((await runNode(BUNDLE_ENTRY, ['--version'], { cwd: dir })).stdout).toBe(`${version}\n`);
  }, 60_000);

  it('a command through the bin loads the bundle and none of our dist modules', async () => {
    const { code, files } = await loadedFiles(BIN, ['predict', '--data', 'rows.csv']);
    expect(code).toBe(2);
    expect(files).toContain('packages/cli/bundle/main.js');
    expect(files.filter((f) => f.startsWith('packages/') && f.includes('/dist/'))).toEqual([]);
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
  return runNode(entry, args, { cwd: REPO, env: withLang(lang) });
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

/** What `node ENTRY ...args` prints in a terminal `columns` wide (a pseudo-terminal from util-linux's `script`). */
async function printedInTerminal(entry: string, args: readonly string[], columns: number): Promise<string> {
  const command = `stty cols ${columns} rows 24; exec ${[process.execPath, entry, ...args].join(' ')}`;
  const { stdout } = await promisify(execFile)('script', ['-qec', command, '/dev/null'], { cwd: REPO, env: withLang('C') });
  return stdout.replaceAll('\r\n', '\n');
}

// The bin prints --help, <command> --help and --version from bundle/help-pages.json, which the build
// fills with what the bundle printed (src/help-pages.ts): it must be yargs' output, byte for byte.
describe('stored help pages', () => {
  const commandLines = [...helpPageCommandLines(Object.keys(COMMANDS)), ['-h'], ['train', '-h']];

  for (const lang of ['C', 'en_US.UTF-8', '']) {
    it(`each prints what yargs prints live (dist/main.js), LANG=${lang || '(unset)'}`, async () => {
      for (const args of commandLines) {
        const [stored, live] = await Promise.all([runWithLang(BIN, args, lang), runWithLang(DIST_MAIN, args, lang)]);
        expect(stored).toEqual(live);
        expect(stored.code).toBe(0);
      }
    }, 120_000);
  }

  it('are printed without loading yargs or main.js; another locale goes to yargs', async () => {
    for (const args of [['--help'], ['train', '--help'], ['--version']]) {
      const { code, files } = await loadedFiles(BIN, args, withLang('C'));
      expect(code).toBe(0);
      expect(files.filter((f) => f !== 'packages/cli/bin/onnx-mlp.js' && !/^packages\/cli\/bundle\/help-pages[-\w]*\.js$/.test(f))).toEqual(
        [],
      );
    }
    expect((await loadedFiles(BIN, ['--help'], withLang('de_DE.UTF-8'))).files).toContain('packages/cli/bundle/main.js');
  }, 60_000);

  it('come from the same build as the bundle, and cover every command', async () => {
    const pagesFile = join(dirname(BUNDLE_ENTRY), HELP_PAGES_FILE);
    expect(statSync(pagesFile).mtimeMs).toBeGreaterThanOrEqual(statSync(BUNDLE_ENTRY).mtimeMs);
    const pages = JSON.parse(await readFile(pagesFile, 'utf8')) as Record<string, string>;
    expect(Object.keys(pages).sort()).toEqual(
      helpPageCommandLines(Object.keys(COMMANDS))
        .map((a) => a.join(' '))
        .sort(),
    );
  });

  // A stored page is 110 columns wide: a narrower terminal must get yargs' own wrapping.
  it('a terminal narrower than the pages gets the help wrapped to its width, as yargs prints it', async () => {
    const [bin, live] = await Promise.all([printedInTerminal(BIN, ['--help'], 80), printedInTerminal(DIST_MAIN, ['--help'], 80)]);
    expect(bin).toBe(live);
    expect(Math.max(...bin.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
    const wide = await printedInTerminal(BIN, ['--help'], 200);
    expect(Math.max(...wide.split('\n').map((l) => l.length))).toBeGreaterThan(80);
    expect(wide).toBe((await runWithLang(DIST_MAIN, ['--help'], 'C')).stdout);
  }, 60_000);
});
