import { describe, expect, it } from 'vitest';
import { DataError, DeviceUnavailableError, InvalidArgumentError } from '@onnx-mlp/core';
import { cliMessage, deviceNotice } from '../packages/cli/src/core-wording.js';

// Core's messages name no flag (core also serves the web package); the CLI words them with its flags,
// exactly as it printed them before core's errors became structured.
describe('the CLI words core errors with its flags', () => {
  it('says how to install CUDA, by the workspace script', () => {
    const e = new DeviceUnavailableError('cuda', 'device cuda cannot start: x', {
      failure: 'not-installed',
      error: 'libcudart.so.12: cannot open',
    });
    expect(cliMessage(e)).toBe(
      '--device cuda cannot start: its binaries are not installed: run `npm run install:cuda` on a machine with an NVIDIA GPU ' +
        'and internet access (libcudart.so.12: cannot open)',
    );
  });

  it('says how to get a software WebGPU adapter', () => {
    const e = new DeviceUnavailableError('webgpu', 'device webgpu cannot start: x', { failure: 'no-adapter', error: 'no adapter' });
    expect(cliMessage(e)).toBe(
      '--device webgpu cannot start: no WebGPU adapter was found (on Debian without a GPU, `npm run install:lavapipe` ' +
        'installs a software one) (no adapter)',
    );
  });

  it('names --exclude for a column with too many categories', () => {
    const e = new DataError('column "id" has more than 1000000 distinct categories: leave it out', {
      code: 'TOO_MANY_CATEGORIES',
      fields: { column: 'id', limit: 1000000 },
    });
    expect(cliMessage(e)).toBe('column "id" has more than 1000000 distinct categories: leave it out (--exclude)');
  });

  it('names --task for a label with too many classes', () => {
    const e = new DataError('label column "y" has more than 65536 distinct values: too many classes (a regression label?)', {
      code: 'TOO_MANY_CLASSES',
      fields: { column: 'y', limit: 65536 },
    });
    expect(cliMessage(e)).toBe('label column "y" has more than 65536 distinct values: too many classes (regression? --task regression)');
  });

  it('prints other errors as their message', () => {
    expect(cliMessage(new InvalidArgumentError('epochs', 0, 'must be a positive integer'))).toBe('epochs = 0: must be a positive integer');
    expect(cliMessage(new Error('plain'))).toBe('plain');
    expect(cliMessage('text')).toBe('text');
  });

  it('names the CUDA install script in the fallback notice', () => {
    const base = { device: 'cpu' as const, trainerOptions: {}, loop: true };
    expect(deviceNotice({ ...base, notice: 'CUDA is not available; training on the CPU', fallback: { device: 'cuda', error: 'x' } })).toBe(
      'CUDA is not available (npm run install:cuda installs it where there is a GPU); training on the CPU',
    );
    expect(deviceNotice(base)).toBeUndefined();
  });
});
