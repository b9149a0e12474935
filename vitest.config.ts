import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    // Tests run the core's sources: the root and each subpath entry (`@onnx-mlp/core/ir` -> src/entry/ir.ts).
    alias: [
      { find: /^@onnx-mlp\/core$/, replacement: fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)) },
      { find: /^@onnx-mlp\/core\/([a-z]+)$/, replacement: `${fileURLToPath(new URL('./packages/core/src/entry/', import.meta.url))}$1.ts` },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
