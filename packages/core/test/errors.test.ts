import { readFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  CheckpointError,
  DataError,
  DataFormatError,
  DeviceUnavailableError,
  InvalidArgumentError,
  ModelDecodeError,
  OnnxMlpError,
  TrainingDivergedError,
  chooseDevice,
  decodeCheckpoint,
  decodeModel,
  type OrtRuntime,
} from '@onnx-mlp/core';
import { ShapeError } from '@onnx-mlp/core/ops';
import { GradientError } from '@onnx-mlp/core/autodiff';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '../src');

describe('OnnxMlpError', () => {
  it('is the base of every error class in core', () => {
    // A new `extends Error` in src/ would escape the CLI's userError rule; only the base may extend Error.
    const hits = execFileSync('grep', ['-rn', 'extends Error\\b', SRC], { encoding: 'utf8' }).trim().split('\n');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatch(/errors\.ts:\d+:export class OnnxMlpError extends Error/);
  });

  it('gives each error a stable code, its facts as fields, and whether the user can act on it', () => {
    const cases: [OnnxMlpError, string, boolean, Record<string, unknown>][] = [
      [
        new InvalidArgumentError('batchSize', 0, 'must be a positive integer'),
        'INVALID_ARGUMENT',
        true,
        { field: 'batchSize', value: 0, reason: 'must be a positive integer' },
      ],
      [new DataError('bad'), 'DATA', true, {}],
      [
        new DataFormatError({ file: 'a.csv', line: 3, column: 'age' }, 'not a number'),
        'DATA_FORMAT',
        true,
        { file: 'a.csv', line: 3, column: 'age', reason: 'not a number' },
      ],
      [new TrainingDivergedError(2, 17, NaN), 'TRAINING_DIVERGED', true, { epoch: 2, step: 17, loss: NaN }],
      [
        new DeviceUnavailableError('cuda', 'device cuda cannot start', { failure: 'not-installed', error: 'x' }),
        'DEVICE_UNAVAILABLE',
        true,
        { device: 'cuda', failure: 'not-installed', error: 'x' },
      ],
      [new CheckpointError('bad'), 'CHECKPOINT', true, {}],
      [new ModelDecodeError('bad'), 'MODEL_DECODE', true, {}],
      [new ShapeError('bad'), 'SHAPE', false, {}],
      [new GradientError('bad'), 'GRADIENT', false, {}],
    ];
    for (const [e, code, userError, fields] of cases) {
      expect(e, e.name).toBeInstanceOf(OnnxMlpError);
      expect([e.name, e.code, e.userError, e.fields]).toEqual([e.constructor.name, code, userError, fields]);
    }
  });

  it('keeps the messages and subclassing callers rely on', () => {
    const e = new DataFormatError({ file: 'a.csv', line: 3, column: 'age' }, 'not a number');
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe('a.csv, line 3, column "age": not a number');
    expect(new InvalidArgumentError('epochs', -1, 'must be positive').message).toBe('epochs = -1: must be positive');
    expect(new TrainingDivergedError(1, 4, Infinity).message).toBe(
      'loss became Infinity at epoch 1, step 4: lower the learning rate or check the data for extreme values',
    );
  });

  it('is what core throws for unreadable bytes and checkpoints', () => {
    expect(() => decodeModel(Uint8Array.of(0xff, 0xff, 0xff))).toThrow(ModelDecodeError);
    expect(() => decodeCheckpoint(readFileSync(join(SRC, '../package.json')))).toThrow(OnnxMlpError);
  });
});

describe('core words no command-line flag', () => {
  it('has no `--flag` in any message of core', () => {
    const grep = spawnSync('grep', ['-rnE', '[\'`"(]--[a-z]', SRC], { encoding: 'utf8' });
    expect(grep.stdout).toBe('');
    expect(grep.status).toBe(1); // grep's "no match", not an error
    // The pattern does find a flag where there is one.
    expect(
      spawnSync('grep', ['-cE', '[\'`"(]--[a-z]'], { input: 'declare it categorical (--categorical)', encoding: 'utf8' }).stdout.trim(),
    ).toBe('1');
  });

  // A runtime whose every session fails to start: what an absent provider looks like, on any machine.
  const noProvider: OrtRuntime = {
    InferenceSession: {
      create: async () => {
        throw new Error('provider not available\nsecond line');
      },
    },
    Tensor: ort.Tensor,
  };

  it('reports an unavailable device by its fields, naming no script', async () => {
    for (const [device, failure, fix] of [
      ['cuda', 'not-installed', 'its execution provider is not installed'],
      ['webgpu', 'no-adapter', 'no WebGPU adapter was found'],
    ]) {
      const e = await chooseDevice(noProvider, device!).then(
        () => undefined,
        (x: unknown) => x as DeviceUnavailableError,
      );
      expect(e).toBeInstanceOf(DeviceUnavailableError);
      expect([e!.device, e!.fields]).toEqual([device, { device, failure, error: 'provider not available' }]);
      expect(e!.message).toBe(`device ${device} cannot start: ${fix} (provider not available)`);
    }
  });

  it('falls back from auto to the CPU with a notice and the failure as fields, naming no script', async () => {
    const choice = await chooseDevice(noProvider, 'auto');
    expect([choice.device, choice.notice, choice.fallback]).toEqual([
      'cpu',
      'CUDA is not available; training on the CPU',
      { device: 'cuda', error: 'provider not available' },
    ]);
  });
});
