// Backend choice and ORT settings, with a stand-in runtime module and a stand-in navigator.gpu.
import { afterEach, describe, expect, it } from 'vitest';
import * as ortNode from 'onnxruntime-node';
import { resolveRuntime, type OrtModule } from '../src/runtime.js';

function fakeWebRuntime(): OrtModule & { env: { wasm: Record<string, unknown> } } {
  return { env: { versions: { common: '1.30.0', web: '1.30.0' }, wasm: {} } } as unknown as OrtModule & {
    env: { wasm: Record<string, unknown> };
  };
}

const paths = { wasm: { mjs: '/ort/wasm.mjs', wasm: '/ort/wasm.wasm' }, webgpu: { mjs: '/ort/asyncify.mjs', wasm: '/ort/asyncify.wasm' } };
const scope = globalThis as { navigator?: unknown; crossOriginIsolated?: boolean };
const original = { navigator: Object.getOwnPropertyDescriptor(globalThis, 'navigator'), isolated: scope.crossOriginIsolated };

afterEach(() => {
  if (original.navigator) Object.defineProperty(globalThis, 'navigator', original.navigator);
  else delete scope.navigator;
  scope.crossOriginIsolated = original.isolated;
});

describe('resolveRuntime', () => {
  it('wasm by default: one thread, the wasm EP, wasmPaths as given', async () => {
    const ort = fakeWebRuntime();
    const r = await resolveRuntime({ runtime: ort, wasmPaths: '/assets/ort/' });
    expect([r.backend, r.sessionOptions.executionProviders, ort.env.wasm.numThreads, ort.env.wasm.wasmPaths]).toEqual([
      'wasm',
      ['wasm'],
      1,
      '/assets/ort/',
    ]);
  });

  it('two threads on a cross-origin isolated page, unless numThreads says otherwise', async () => {
    scope.crossOriginIsolated = true;
    const ort = fakeWebRuntime();
    await resolveRuntime({ runtime: ort });
    expect(ort.env.wasm.numThreads).toBe(2);
    await resolveRuntime({ runtime: ort, numThreads: 1 });
    expect(ort.env.wasm.numThreads).toBe(1);
  });

  it('webgpu without an adapter: a notice, the wasm backend and the wasm pair of files', async () => {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: { requestAdapter: async () => null } }, configurable: true });
    const notices: string[] = [];
    const ort = fakeWebRuntime();
    const r = await resolveRuntime({ runtime: ort, backend: 'webgpu', wasmPaths: paths, onNotice: (m) => notices.push(m) });
    expect([r.backend, ort.env.wasm.wasmPaths, notices.length]).toEqual(['wasm', paths.wasm, 1]);
  });

  it('webgpu with an adapter: the webgpu EP and the asyncify pair of files', async () => {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: { requestAdapter: async () => ({}) } }, configurable: true });
    const notices: string[] = [];
    const ort = fakeWebRuntime();
    const r = await resolveRuntime({ runtime: ort, backend: 'webgpu', wasmPaths: paths, onNotice: (m) => notices.push(m) });
    expect([r.backend, r.sessionOptions.executionProviders, ort.env.wasm.wasmPaths, notices]).toEqual([
      'webgpu',
      ['webgpu'],
      paths.webgpu,
      [],
    ]);
  });

  it('onnxruntime-node is "native" and its env is left alone', async () => {
    const r = await resolveRuntime({ runtime: ortNode as unknown as OrtModule, wasmPaths: '/x/' });
    expect([r.backend, r.sessionOptions, r.cpuSessionOptions]).toEqual(['native', {}, {}]);
    expect((ortNode as unknown as OrtModule).env.wasm.wasmPaths).toBeUndefined();
  });
});
