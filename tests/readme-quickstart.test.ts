import { execFile } from 'node:child_process';
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI_PATH } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir();
  await cp(join(root, 'examples'), join(dir, 'examples'), { recursive: true });
});
afterAll(async () => {
  await removeDir(dir);
});

/** The `onnx-mlp ...` lines of the README's quick start, exactly as a newcomer would paste them. */
async function quickStartCommands(): Promise<string[]> {
  const readme = await readFile(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Quick start on your own data'));
  const block = section.slice(section.indexOf('```sh') + 5, section.indexOf('```', section.indexOf('```sh') + 5));
  return block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.includes('onnx-mlp ') && !l.startsWith('alias'));
}

it('the README quick start works as written: train, evaluate, predict (stdin and file), inspect', async () => {
  const commands = await quickStartCommands();
  expect(commands.length).toBeGreaterThanOrEqual(5);
  const outputs: string[] = [];
  for (const command of commands) {
    // The README's alias, as a shell function so it also works inside a pipe.
    const script = `onnx-mlp() { node ${JSON.stringify(CLI_PATH)} "$@"; }\n${command}`;
    const { stdout } = await run('bash', ['-c', script], { cwd: dir, timeout: 120_000 });
    outputs.push(stdout);
  }
  const [train, evaluate, head, , inspect] = outputs;
  const accuracy = Number(/test accuracy: ([\d.]+)%/.exec(train!)![1]);
  expect(accuracy).toBeGreaterThan(85);
  expect(evaluate).toMatch(/^accuracy\s+0\.\d+ \(\d+ of 800\)$/m);
  expect(head!.trim().split('\n')).toHaveLength(5); // header + 4 predicted rows
  expect(head!.split('\n')[0]).toBe('label,p_no,p_yes');
  const predictions = (await readFile(join(dir, 'predictions.csv'), 'utf8')).trim().split('\n');
  expect(predictions).toHaveLength(801);
  expect(inspect).toMatch(/onnx-mlp inference model: binary MLP/);
  expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain('<svg id="loss-chart"');
}, 300_000);
