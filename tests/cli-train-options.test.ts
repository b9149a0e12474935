import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs, { type Argv } from 'yargs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainCommand } from '../packages/cli/src/commands/train.js';
import { ConfigFileOption } from '../packages/cli/src/options/config-file.js';
import { camelName } from '../packages/cli/src/options/option-spec.js';
import { RESUMABLE_OPTIONS, TRAIN_OPTIONS } from '../packages/cli/src/train/train-options.js';
import { runCli } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

// train's option table is the one list of its options: these tests hold --help, --resume, --config
// and the README to it.

const root = fileURLToPath(new URL('..', import.meta.url));
let dir: string;
let help: string;
beforeAll(async () => {
  dir = await makeTempDir();
  const run = await runCli(['train', '--help'], { cwd: dir });
  expect(run.code).toBe(0);
  help = run.stdout;
});
afterAll(async () => {
  await removeDir(dir);
});

/** The --help text under each group heading ("Options:", "Training controls:", ...). */
function helpSections(text: string): Map<string, string> {
  const sections = new Map<string, string>();
  let heading = '';
  for (const line of text.split('\n')) {
    if (/^\S.*:$/.test(line)) heading = line;
    else sections.set(heading, `${sections.get(heading) ?? ''}${line}\n`);
  }
  return sections;
}

describe('train --help', () => {
  it('lists every option of the table under its group', () => {
    const sections = helpSections(help);
    for (const option of TRAIN_OPTIONS) {
      expect(sections.get(option.group) ?? '', option.name).toMatch(new RegExp(`^\\s+--${option.name}\\s`, 'm'));
    }
    // And nothing the table does not know (besides yargs' own --help and --version).
    const listed = [...help.slice(0, help.indexOf('Examples:')).matchAll(/^\s+(?:-\w, )?--([\w-]+)\s/gm)].map((m) => m[1]);
    expect(listed.filter((name) => name !== 'help' && name !== 'version').sort()).toEqual(TRAIN_OPTIONS.map((o) => o.name).sort());
  });

  it('--resume names exactly the options it may be given with', () => {
    const text = help.replace(/\s+/g, ' ');
    const named = /--resume Continue .*?\(only (.*?) may be given with it\)/.exec(text)?.[1];
    expect(named).toBeDefined();
    const flags = named!.split(', ').map((f) => f.replace(/^--/, ''));
    expect(flags.sort()).toEqual(RESUMABLE_OPTIONS.filter((o) => o !== 'resume').sort());
    expect(flags).toHaveLength(9);
  });
});

describe('--resume takes exactly the resumable options', () => {
  const VALUES: Record<string, string[]> = {
    epochs: ['3'],
    out: ['m.onnx'],
    report: ['r.html'],
    force: [],
    quiet: [],
    json: [],
    threads: ['1'],
    device: ['cpu'],
    verbose: [],
  };
  it('the table marks the expected options resumable', () => {
    expect(Object.keys(VALUES).sort()).toEqual(RESUMABLE_OPTIONS.filter((o) => o !== 'resume').sort());
  });

  // A resumable option gets past the check and fails on the missing run folder instead.
  it.concurrent.for(Object.entries(VALUES))('--%s is accepted', async ([name, values], { expect }) => {
    const run = await runCli(['train', '--resume', 'nope', `--${name}`, ...values], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--resume nope: no checkpoint\.ckpt there/);
  });

  it.concurrent.for([['batch-size', '8'], ['hidden', '16'], ['data', 'x.csv'], ['stream'], ['schedule', 'cosine'], ['config', 'c.json']])(
    '--%s is refused',
    async ([name, ...values], { expect }) => {
      expect(TRAIN_OPTIONS.find((o) => o.name === name)).not.toHaveProperty('resumable');
      const run = await runCli(['train', '--resume', 'nope', `--${name!}`, ...values], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toMatch(new RegExp(`^onnx-mlp: --${name} .*cannot change when resuming`));
    },
  );
});

/** A value of the right type for each option a config file may set, and what yargs then holds. */
function configValues(): { file: Record<string, unknown>; parsed: Record<string, unknown> } {
  const file: Record<string, unknown> = {};
  const parsed: Record<string, unknown> = {};
  TRAIN_OPTIONS.filter((o) => !('inConfigFile' in o)).forEach((o, i) => {
    const key = camelName(o.name);
    const value = o.kind === 'number' ? i + 0.5 : o.kind === 'boolean' ? true : o.kind === 'list' ? [`a${i}`, i] : `s${i}`;
    file[key] = value;
    parsed[key] = Array.isArray(value) ? value.join(',') : value;
  });
  return { file, parsed };
}

/** train's yargs parser alone (no handler, no main.ts): what a --config file becomes in argv. */
async function parseTrainArgs(args: string[]): Promise<Record<string, unknown>> {
  const parser = (trainCommand.builder as (y: Argv) => Argv)(yargs([])).fail((message, error) => {
    throw error ?? new Error(message);
  });
  return (await parser.parseAsync(args)) as Record<string, unknown>;
}

describe('--config FILE', () => {
  it('accepts every option of the table that a run may set, and the command line overrides it', async () => {
    const { file, parsed } = configValues();
    expect(Object.keys(file)).toHaveLength(TRAIN_OPTIONS.length - 2); // all but --config and --resume
    await writeFile(join(dir, 'all.json'), JSON.stringify(file));
    const argv = await parseTrainArgs(['--config', join(dir, 'all.json'), '--epochs', '7']);
    for (const [key, value] of Object.entries(parsed)) expect(argv[key], key).toEqual(key === 'epochs' ? 7 : value);
  });

  it('refuses an unknown key, and the options a file cannot set, naming the file and the key', async () => {
    const cases: Array<[string, string]> = [
      ['{"epochz": 3}', 'unknown key "epochz"'],
      ['{"batch_size": 3}', 'unknown key "batch_size"'],
      ['{"resume": "runs/1"}', 'key "resume" cannot be set in a config file'],
      ['{"config": "other.json"}', 'key "config" cannot be set in a config file'],
      ['{"help": true}', 'key "help" cannot be set in a config file'],
    ];
    for (const [text, reason] of cases) {
      const path = join(dir, 'bad.json');
      await writeFile(path, text);
      const option = new ConfigFileOption({ name: 'train', table: TRAIN_OPTIONS });
      expect(option.parse(path)).toEqual({});
      expect(() => option.check('bad.json')).toThrow(`--config bad.json: ${reason}`);
    }
  });

  it('refuses an unknown key on the command line: exit 1, one line, nothing written', async () => {
    await writeFile(join(dir, 'typo.json'), '{"epochs": 1, "hiden": [16]}');
    const run = await runCli(['train', '--config', 'typo.json'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toMatch(/^onnx-mlp: --config typo\.json: unknown key "hiden"; the keys are train's options/);
  });
});

it("packages/cli/README.md's option table lists every option, and --resume's companions", async () => {
  const readme = await readFile(join(root, 'packages', 'cli', 'README.md'), 'utf8');
  const train = readme.slice(readme.indexOf('## `onnx-mlp train`'), readme.indexOf('## `onnx-mlp inspect'));
  const rows = train.split('\n').filter((l) => l.startsWith('| `--'));
  for (const option of TRAIN_OPTIONS) {
    expect(
      rows.some((row) => new RegExp(`\`--${option.name}[\` ]`).test(row.split('|')[1]!)),
      option.name,
    ).toBe(true);
  }
  const resume = rows.find((row) => row.startsWith('| `--resume'))!;
  const companions = [...resume.slice(resume.indexOf('only ')).matchAll(/`--([\w-]+)`/g)].map((m) => m[1]);
  expect(companions.sort()).toEqual(RESUMABLE_OPTIONS.filter((o) => o !== 'resume').sort());
});
