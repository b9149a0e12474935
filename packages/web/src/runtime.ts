import type { InferenceSession } from 'onnxruntime-common';

/** Anything with onnxruntime-common's InferenceSession + Tensor (the onnxruntime-web or onnxruntime-node module). */
export type OrtModule = typeof import('onnxruntime-common');

/** Where ORT's .wasm/.mjs files are served: a folder URL ending in `/`, or the two files' URLs. */
export type WasmPaths = string | { mjs: string; wasm: string };

/** Paths per backend, for a page that asks for WebGPU but may fall back to WASM (each build has its own pair of files). */
export interface WasmPathsByBackend {
  wasm: WasmPaths;
  webgpu: WasmPaths;
}

/** The execution backend a session runs on; 'native' when an injected onnxruntime-node runs it. */
export type Backend = 'wasm' | 'webgpu' | 'native';

/** How to pick and configure the ONNX Runtime. */
export interface RuntimeOptions {
  /** The ONNX Runtime to run on. @defaultValue onnxruntime-web's WASM build, imported lazily */
  runtime?: OrtModule;
  /** @defaultValue 'wasm'. 'webgpu' loads onnxruntime-web/webgpu lazily when navigator.gpu gives an adapter, else falls back to wasm with a notice. */
  backend?: 'wasm' | 'webgpu';
  /**
   * Where ORT's .wasm/.mjs files are served: one place, or `{ wasm, webgpu }` for each build (the
   * WebGPU build uses the `.asyncify` pair). @defaultValue the files next to onnxruntime-web's own module (resolved by the bundler)
   */
  wasmPaths?: WasmPaths | WasmPathsByBackend;
  /** @defaultValue 1, or 2 when the page is cross-origin isolated */
  numThreads?: number;
  /** Receives notices (e.g. fallback to wasm). @defaultValue console.warn */
  onNotice?: (message: string) => void;
}

/** A runtime ready to create sessions: the module, the backend chosen and the session options it needs. */
export interface ResolvedRuntime {
  readonly ort: OrtModule;
  readonly backend: Backend;
  readonly sessionOptions: InferenceSession.SessionOptions;
  /** For small helper graphs (preprocessing, scoring) that are best run on the CPU whatever the backend. */
  readonly cpuSessionOptions: InferenceSession.SessionOptions;
}

interface GpuNavigator {
  gpu?: { requestAdapter(): Promise<unknown> };
}

/** Whether this JavaScript environment has a WebGPU adapter (false in Node and in browsers without one). */
export async function hasWebGpuAdapter(): Promise<boolean> {
  const nav = (globalThis as { navigator?: GpuNavigator }).navigator;
  if (!nav?.gpu) return false;
  try {
    return (await nav.gpu.requestAdapter()) != null;
  } catch {
    return false;
  }
}

/** True for onnxruntime-node (its env reports a `node` version; onnxruntime-web's reports `web`). */
function isNative(ort: OrtModule): boolean {
  const versions = ort.env.versions as Record<string, string | undefined>;
  return versions.node !== undefined && versions.web === undefined;
}

/** The default thread count: 2 only where SharedArrayBuffer works (a cross-origin isolated page). */
function defaultThreads(): number {
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true ? 2 : 1;
}

/**
 * Picks the runtime and backend: the injected module, or onnxruntime-web imported lazily (the WebGPU
 * build only when an adapter exists, so pages without WebGPU never download it). An unavailable
 * WebGPU falls back to WASM with a notice. Sets `env.wasm` (threads, wasmPaths) on web runtimes.
 */
export async function resolveRuntime(options: RuntimeOptions = {}): Promise<ResolvedRuntime> {
  const notice = options.onNotice ?? ((message: string) => console.warn(message));
  let webgpu = options.backend === 'webgpu';
  if (webgpu && !(options.runtime && isNative(options.runtime)) && !(await hasWebGpuAdapter())) {
    notice('WebGPU was asked for but this environment has no WebGPU adapter; running on WASM (CPU) instead');
    webgpu = false;
  }
  const ort =
    options.runtime ?? ((webgpu ? await import('onnxruntime-web/webgpu') : await import('onnxruntime-web/wasm')) as unknown as OrtModule);
  if (isNative(ort)) {
    if (options.backend === 'webgpu') notice('onnxruntime-node has no WebGPU backend; running natively on the CPU');
    return { ort, backend: 'native', sessionOptions: {}, cpuSessionOptions: {} };
  }
  const paths = options.wasmPaths;
  if (paths !== undefined)
    ort.env.wasm.wasmPaths = typeof paths === 'object' && 'webgpu' in paths ? paths[webgpu ? 'webgpu' : 'wasm'] : paths;
  ort.env.wasm.numThreads = options.numThreads ?? defaultThreads();
  return {
    ort,
    backend: webgpu ? 'webgpu' : 'wasm',
    sessionOptions: { executionProviders: [webgpu ? 'webgpu' : 'wasm'] },
    cpuSessionOptions: { executionProviders: ['wasm'] },
  };
}
