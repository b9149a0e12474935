import { OnnxMlpError } from '@onnx-mlp/core';
import { describe, expect, it } from 'vitest';
import { WebModelError, WebTrainError } from '../src/index.js';

// The web package's errors share core's base, so one `instanceof OnnxMlpError` and `userError` route
// every onnx-mlp error, whichever package threw it.
describe('web errors extend OnnxMlpError', () => {
  it('a model error keeps its code and says whether the caller caused it', () => {
    const bad = new WebModelError('missing-column', 'record 1 has no column "age"');
    expect(bad).toBeInstanceOf(OnnxMlpError);
    expect(bad).toMatchObject({ name: 'WebModelError', code: 'missing-column', userError: true, message: 'record 1 has no column "age"' });
    const cause = new Error('wasm not found');
    const runtime = new WebModelError('runtime', 'ONNX Runtime failed', { cause });
    expect(runtime).toMatchObject({ code: 'runtime', userError: false, cause });
  });

  it('a training error: bad data is the caller’s, a dead worker is not', () => {
    expect(new WebTrainError('bad-data', 'line 5, column "x"')).toMatchObject({ code: 'bad-data', userError: true });
    expect(new WebTrainError('worker', 'the worker died')).toMatchObject({ code: 'worker', userError: false });
    expect(new WebTrainError('aborted', 'aborted')).toBeInstanceOf(OnnxMlpError);
  });
});
