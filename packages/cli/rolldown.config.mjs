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

/**
 * Gives a dependency that reads `import.meta.url` the URL of its own file, found at run time from
 * its package (as unbundled), not the chunk's: yargs finds its translations (`yargs/locales/`) from
 * it, and without this a German locale would get English help. Falls back to the chunk's URL
 * where the package cannot be found.
 */
const originalImportMetaUrl = {
  name: 'original-import-meta-url',
  transform: {
    filter: { id: /[\\/]node_modules[\\/]/, code: 'import.meta.url' },
    handler(code, id) {
      const [, pkg, subpath] = /.*[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/](.*)$/.exec(id);
      const url =
        '(() => { try { return new URL(SUBPATH, __toFileUrl(__requireFrom(import.meta.url).resolve(PACKAGE))).href; } catch { return import.meta.url; } })()'
          .replace('SUBPATH', JSON.stringify(subpath.replaceAll('\\', '/')))
          .replace('PACKAGE', JSON.stringify(`${pkg.replaceAll('\\', '/')}/package.json`));
      // One line ahead of the module's first: its own lines keep their numbers.
      const header = `import { createRequire as __requireFrom } from 'node:module'; import { pathToFileURL as __toFileUrl } from 'node:url'; const __originalUrl = ${url}; `;
      return { code: header + code.replaceAll('import.meta.url', '__originalUrl'), map: null };
    },
  },
};

export default defineConfig({
  // help-pages.js: the bin's fast path for --help, loaded without main.js (src/help-pages.ts).
  input: { main: 'packages/cli/dist/main.js', 'help-pages': 'packages/cli/dist/help-pages.js' },
  platform: 'node',
  // Native, and shared with the caller's own copy: a second onnxruntime-common breaks `instanceof Tensor`.
  external: [/^onnxruntime-(node|common)(\/|$)/],
  plugins: [tscSourceMaps, originalImportMetaUrl],
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
