import { execFile, execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, type EpochRecord } from '@onnx-mlp/core';
import { META } from '@onnx-mlp/core/internal';
import { requireTool, skipIfMissing, type MissingTool } from './helpers/require-tool.js';
import { CLI_PATH, runCli, type CliResult } from './helpers/run-cli.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

const ARGS = ['train', '--epochs', '2', '--hidden', '16'];
const EPOCH_LINE = /^epoch ([12])\/2 {2}loss (\d+\.\d{4}) {2}acc \d\.\d{4} {2}val_loss \d+\.\d{4} {2}val_acc \d\.\d{4} {2}\d+\.\d{2}s$/;

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

async function runFiles(dir: string, folder: string): Promise<{ history: EpochRecord[]; testAccuracy: number }> {
  const history = JSON.parse(await readFile(join(dir, folder, 'history.json'), 'utf8')) as EpochRecord[];
  const model = decodeModel(await readFile(join(dir, folder, 'model.onnx')));
  return { history, testAccuracy: JSON.parse(model.metadata.get(META.training)!).testAccuracy };
}

describe('onnx-mlp train --json', () => {
  let dir: string;
  let run: CliResult;
  let quiet: CliResult;
  beforeAll(async () => {
    dir = await makeTempDir();
    run = await runCli([...ARGS, '--json'], { cwd: dir });
    quiet = await runCli([...ARGS, '--json', '--quiet'], { cwd: dir });
  });
  afterAll(() => removeDir(dir));

  it("prints only JSON lines: start, one epoch event per epoch with history.json's values, end with the model's accuracy", async () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const events = lines(run.stdout).map((l) => JSON.parse(l) as Record<string, any>);
    expect(events.map((e) => e.event)).toEqual(['start', 'epoch', 'epoch', 'end']);
    const [start, e1, e2, end] = events as [Record<string, any>, Record<string, any>, Record<string, any>, Record<string, any>];
    const { history, testAccuracy } = await runFiles(dir, join('runs', '1'));
    const config = JSON.parse(await readFile(join(dir, 'runs', '1', 'config.json'), 'utf8'));

    expect(start).toMatchObject({ runFolder: join('runs', '1'), epochs: 2, batchSize: 128, seed: 42, device: 'cpu', deviceUsed: 'cpu' });
    expect(start).toMatchObject({
      resumedAfterEpoch: null,
      batchesPerEpoch: Math.ceil(8000 / 128),
      trainRows: 8000,
      testRows: 2000,
      notices: [],
    });
    expect(start.spec).toEqual(config.spec);
    expect(start.optimizer).toEqual(config.optimizer);
    expect(start.data).toBe(config.data);

    expect(history).toHaveLength(2);
    const { event: _1, ...r1 } = e1;
    const { event: _2, ...r2 } = e2;
    expect([r1, r2]).toEqual(history); // losses, accuracies, learning rates, seconds: the very same numbers
    expect(e1.loss).toBe(history[0]!.loss);
    expect(e2.loss).toBe(history[1]!.loss);
    expect(e2.loss).toBeLessThan(e1.loss);

    expect(end.testAccuracy).toBe(testAccuracy);
    expect(end).toEqual({
      event: 'end',
      testAccuracy,
      testCorrect: Math.round(testAccuracy * 2000),
      testRows: 2000,
      epochs: 2,
      runFolder: join('runs', '1'),
      out: null,
    });
    // The accuracy of the written model is the eval graph's val_acc of the last epoch.
    expect(end.testAccuracy).toBeCloseTo(e2.valAccuracy, 10);
  });

  it('--json --quiet drops the epoch events only', async () => {
    expect(quiet.code).toBe(0);
    const events = lines(quiet.stdout).map((l) => JSON.parse(l) as Record<string, any>);
    expect(events.map((e) => e.event)).toEqual(['start', 'end']);
    expect(events[1]!.runFolder).toBe(join('runs', '2'));
    // Same seed, same settings: the same model.
    expect(events[1]!.testAccuracy).toBe((await runFiles(dir, join('runs', '1'))).testAccuracy);
  });
});

describe('onnx-mlp train output when stdout is not a terminal', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await makeTempDir();
  });
  afterAll(() => removeDir(dir));

  it('is exactly the plain lines: no bar, no escape codes', async () => {
    const plain = await runCli(ARGS, { cwd: dir });
    expect(plain.code).toBe(0);
    expect(plain.stderr).toBe('');
    expect(plain.stdout).not.toMatch(/[\x1b\r]/);
    const out = lines(plain.stdout);
    expect(out).toHaveLength(4);
    const { history } = await runFiles(dir, join('runs', '1'));
    expect(EPOCH_LINE.exec(out[0]!)?.[2]).toBe(history[0]!.loss.toFixed(4));
    expect(EPOCH_LINE.exec(out[1]!)?.[2]).toBe(history[1]!.loss.toFixed(4));
    expect(out[2]).toMatch(/^test accuracy: \d+\.\d{2}% \(2000 digits\)$/);
    expect(out[3]).toBe(`run folder: ${join('runs', '1')}`);
  });
});

// util-linux `script` runs a command under a pseudo-terminal: the one way to give the CLI a TTY
// stdout from a test without a native module. Resolves to its version line.
async function utilLinuxScript(): Promise<string> {
  const version = execFileSync('script', ['--version'], { encoding: 'utf8' }).trim();
  if (!/util-linux/.test(version)) throw new Error(`\`script --version\` is not util-linux's: ${version}`);
  return version;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

describe('onnx-mlp train on a terminal', () => {
  let dir: string;
  let script: string | MissingTool | undefined;
  beforeAll(async () => {
    dir = await makeTempDir();
    script = await requireTool('util-linux `script` (a pseudo-terminal for the CLI)', utilLinuxScript);
  });
  afterAll(() => removeDir(dir));

  it('draws a cli-progress bar per epoch, then replaces it with the plain epoch line', async (ctx) => {
    skipIfMissing(ctx, script);
    const command = [process.execPath, CLI_PATH, ...ARGS].map(shellQuote).join(' ');
    const output = await new Promise<{ code: number; text: string }>((resolve, reject) => {
      const child = execFile(
        'script',
        ['-qfec', command, '/dev/null'],
        { cwd: dir, timeout: 60_000, encoding: 'utf8' },
        (error, stdout) => {
          if (error && typeof error.code !== 'number') reject(error);
          else resolve({ code: error ? (error.code as number) : 0, text: stdout });
        },
      );
      child.stdin?.end();
    });
    expect(output.code).toBe(0);
    const text = output.text.replace(/\r/g, '');
    const { history } = await runFiles(dir, join('runs', '1'));
    // Frames: `epoch 1/2 ░░░…  0/63  loss -  0.0s  ETA ?`, then full bars with a running loss.
    expect(text).toMatch(/epoch 1\/2 ░{25} {2}0\/63 {2}loss - {2}\d+\.\ds {2}ETA \?/);
    expect(text).toMatch(/epoch 1\/2 █{25} 63\/63 {2}loss \d+\.\d{4} {2}\d+\.\ds {2}ETA 0\.0s/);
    expect(text).toMatch(/epoch 2\/2 █{25} 63\/63 {2}loss \d+\.\d{4} /);
    // Each bar is cleared (ESC[2K) and the epoch line written in its place.
    const epochLines = [...text.matchAll(/\x1b\[2K(epoch [12]\/2 {2}loss .*)$/gm)].map((m) => m[1]!);
    expect(epochLines).toHaveLength(2);
    expect(EPOCH_LINE.exec(epochLines[0]!)?.[2]).toBe(history[0]!.loss.toFixed(4));
    expect(EPOCH_LINE.exec(epochLines[1]!)?.[2]).toBe(history[1]!.loss.toFixed(4));
    const plainTail = lines(text).slice(-2);
    expect(plainTail[0]).toMatch(/^test accuracy: \d+\.\d{2}% \(2000 digits\)$/);
    expect(plainTail[1]).toBe(`run folder: ${join('runs', '1')}`);
  });
});
