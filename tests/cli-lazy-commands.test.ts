import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandsFor, requestedCommand } from '../packages/cli/src/commands/command-list.js';
import { loadedFiles, REPO, withLang } from './helpers/cli-bundle.js';
import { CLI_PATH as BIN } from './helpers/run-cli.js';

describe('commands load on demand (start-up time)', () => {
  it('finds the command word past global options, and nothing for --help or an unknown word', () => {
    expect(requestedCommand(['--verbose', 'predict', 'm.onnx', '--data', 'x.csv'])).toBe('predict');
    expect(requestedCommand(['--help'])).toBeUndefined();
    expect(requestedCommand(['trian'])).toBeUndefined();
    expect(requestedCommand(['constructor'])).toBeUndefined();
  });

  it('--help registers every command by name and description only: no module is loaded, no builder runs', async () => {
    const commands = await commandsFor(['--help']);
    expect(commands.map((c) => c.command)).toEqual(Object.values(COMMANDS).map((c) => c.command));
    expect(commands.every((c) => c.builder === undefined)).toBe(true);
  });

  it('a command word loads that command in full (its builder and handler) and only that one', async () => {
    const commands = await commandsFor(['predict', 'model.onnx']);
    const full = commands.filter((c) => c.builder !== undefined);
    expect(full.map((c) => c.command)).toEqual(['predict <model>']);
    expect(full[0]!.describe).toBe(COMMANDS.predict.describe);
  });

  it("each command module's own command and description are the list's", async () => {
    for (const entry of Object.values(COMMANDS)) {
      const loaded = await entry.load();
      expect([loaded.command, loaded.describe]).toEqual([entry.command, entry.describe]);
    }
  });
});

/**
 * The sources (from its source map) of each bundle file in `files`: what that file holds. Only
 * rolldown's runtime and chunks of bare import/export lines (re-exports of another chunk) come
 * without a map; any other chunk without one fails, rather than count as holding nothing.
 */
async function bundledSources(files: readonly string[]): Promise<string[]> {
  const sources = await Promise.all(
    files
      .filter((f) => f.startsWith('packages/cli/bundle/'))
      .map(async (f) => {
        const mapFile = join(REPO, `${f}.map`);
        if (!existsSync(mapFile)) {
          const code = await readFile(join(REPO, f), 'utf8');
          const reexportsOnly = code.split('\n').every((line) => line === '' || /^(import|export) /.test(line));
          expect(reexportsOnly || /\/rolldown-runtime-[\w-]+\.js$/.test(f), `${f} has code but no source map`).toBe(true);
          return [];
        }
        const map = JSON.parse(await readFile(mapFile, 'utf8')) as { sources: string[] };
        return map.sources.map((s) => relative(REPO, join(REPO, dirname(f), s)));
      }),
  );
  return sources.flat();
}

// The same, measured on what users run: the bin and the bundle's chunks, from the files Node loaded.
describe('the bundled CLI loads only what a command needs', () => {
  // In German, so that yargs renders the help (the stored English pages would skip it: cli-bundle.test.ts).
  it('--help rendered by yargs loads a few bundle files: neither core, nor ONNX Runtime, nor any command module', async () => {
    const { code, files } = await loadedFiles(BIN, ['--help'], withLang('de_DE.UTF-8'));
    expect(code).toBe(0);
    expect(files.every((f) => f === 'packages/cli/bin/onnx-mlp.js' || f.startsWith('packages/cli/bundle/'))).toBe(true);
    const sources = await bundledSources(files);
    expect(sources).toContain('packages/cli/src/main.ts');
    expect(
      sources.filter((s) => s.startsWith('packages/core/') || s.includes('/onnxruntime') || s.startsWith('packages/cli/src/commands/')),
    ).toEqual(['packages/cli/src/commands/command-list.ts']);
  }, 60_000);

  it('predict loads ONNX Runtime, core and its own command, and no other command', async () => {
    const { code, files } = await loadedFiles(BIN, ['predict', 'no-such-model.onnx', '--data', 'no-such.csv']);
    expect(code).toBe(1);
    expect(files).toContain('node_modules/onnxruntime-node/dist/index.js');
    const sources = await bundledSources(files);
    expect(sources).toContain('packages/cli/src/commands/predict.ts');
    expect(sources.some((s) => s.startsWith('packages/core/src/'))).toBe(true);
    const otherCommands = Object.keys(COMMANDS).filter((c) => c !== 'predict');
    expect(sources.filter((s) => otherCommands.some((c) => s === `packages/cli/src/commands/${c}.ts`))).toEqual([]);
  }, 60_000);
});
