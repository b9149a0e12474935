// onnxruntime-web's own .mjs/.wasm pairs, emitted by Vite as files next to the site's assets. The
// package is told where they are (its `wasmPaths` option) because ORT would otherwise look next to
// our bundled chunk. WebGPU uses the asyncify build; both files must come from the same build.
import wasmMjs from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import wasmBinary from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import webgpuMjs from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import webgpuBinary from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';

/** The ORT runtime files for one backend, as the package's `wasmPaths` option takes them. */
export function ortFiles(backend: 'wasm' | 'webgpu'): { mjs: string; wasm: string } {
  const base = new URL(document.baseURI);
  const absolute = (url: string): string => new URL(url, base).href; // the worker resolves against its own URL
  return backend === 'webgpu'
    ? { mjs: absolute(webgpuMjs), wasm: absolute(webgpuBinary) }
    : { mjs: absolute(wasmMjs), wasm: absolute(wasmBinary) };
}

/** Both backends' files: the package picks the pair of the backend it ends up on (WebGPU may fall back to WASM). */
export function ortFilesByBackend(): { wasm: { mjs: string; wasm: string }; webgpu: { mjs: string; wasm: string } } {
  return { wasm: ortFiles('wasm'), webgpu: ortFiles('webgpu') };
}
