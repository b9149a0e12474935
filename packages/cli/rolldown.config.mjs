// The bundled `onnx-mlp` entry (packages/cli/bundle/), built by `npm run build` from what tsc wrote to
// dist/: Node then loads a few files instead of a few hundred ES and CommonJS modules (start-up time).
// dist/ stays: tests and the benches import its modules; the bin runs this bundle.
import { existsSync, readFileSync } from 'node:fs';
import { defineConfig } from 'rolldown';

/**
 * Hands rolldown the source map tsc wrote beside each dist/*.js of ours, so that the bundle's
 * maps lead to the TypeScript sources (stack traces under --verbose name src/*.ts lines).
 */
const tscSourceMaps = {
  name: 'tsc-source-maps',
  load: {
    filter: { id: /[\\/]packages[\\/](core|cli)[\\/]dist[\\/].*\.js$/ },
    handler(id) {
      const mapFile = `${id}.map`;
      if (!existsSync(mapFile)) return null;
      const code = readFileSync(id, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
      return { code, map: readFileSync(mapFile, 'utf8') };
    },
  },
};

export default defineConfig({
  input: { main: 'packages/cli/dist/main.js' },
  platform: 'node',
  // Native, and shared with the caller's own copy: a second onnxruntime-common breaks `instanceof Tensor`.
  external: [/^onnxruntime-(node|common)(\/|$)/],
  plugins: [tscSourceMaps],
  output: {
    // One folder beside dist/, no sub-folders: `../package.json` and `mnist/package.json`, resolved
    // from each chunk's import.meta.url, find the same files as from dist/.
    dir: 'packages/cli/bundle',
    cleanDir: true,
    format: 'esm',
    sourcemap: true,
    // The vendor groups' names list every command that shares them (vendor~card~evaluate~...): shortened.
    chunkFileNames: (chunk) => (chunk.name.startsWith('vendor~') ? 'vendor-[hash].js' : '[name]-[hash].js'),
    // Dependencies in chunks of their own, one per set of commands that use them: main.js is then
    // our entry alone (tests/helpers/fault-driver.mjs re-evaluates it per case without re-running
    // yargs' modules), and --help still loads no dependency a command alone needs.
    codeSplitting: { groups: [{ name: 'vendor', test: /[\\/]node_modules[\\/]/, entriesAware: true }] },
  },
});
