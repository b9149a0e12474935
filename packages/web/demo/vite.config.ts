import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

// ORT's threads start workers from their own module URL and fetch their .wasm: these headers make
// the page cross-origin isolated (SharedArrayBuffer) on the dev server and on `vite preview`.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The demo site. The settings that keep onnxruntime-web working once bundled (see the README's
 * "In a web page"): ORT's extern-wasm build so its .mjs/.wasm stay separate files, ES-module
 * workers, ORT kept out of dependency pre-bundling, and cross-origin isolation headers.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
  worker: { format: 'es' },
  optimizeDeps: { exclude: ['onnxruntime-web', '@onnx-mlp/web'] },
  server: { headers: isolationHeaders, fs: { allow: [repoRoot] } },
  preview: { headers: isolationHeaders },
  build: { outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0, target: 'es2022', chunkSizeWarningLimit: 2048 },
});
