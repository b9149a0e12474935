import { expect, it } from 'vitest';
import { runCli } from './helpers/run-cli.js';

const cwd = process.cwd();

it('every command has --help with examples, exit 0', async () => {
  for (const command of ['train', 'evaluate', 'predict', 'inspect']) {
    const r = await runCli([command, '--help'], { cwd });
    expect(r.code, command).toBe(0);
    expect(r.stdout, command).toMatch(/Examples:\n\s+onnx-mlp /);
  }
});

it('shell completion: a script for bash/zsh, and completions of commands and options', async () => {
  const script = await runCli(['completion'], { cwd });
  expect(script.code).toBe(0);
  expect(script.stdout).toContain('onnx-mlp --get-yargs-completions');
  const commands = await runCli(['--get-yargs-completions', 'ins'], { cwd });
  expect(commands.stdout.split('\n')).toContain('inspect');
  const options = await runCli(['--get-yargs-completions', 'train', '--batch'], { cwd });
  expect(options.stdout.split('\n')).toContain('--batch-size');
});
