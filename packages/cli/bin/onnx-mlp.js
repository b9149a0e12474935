#!/usr/bin/env node
// The `onnx-mlp` bin. npm links a workspace's bins when it installs, before anything is built, and
// skips a bin whose file is missing: this checked-in file is the target so that `npx onnx-mlp`
// works right after `npm ci && npm run build`. It runs the bundle `npm run build` makes
// (packages/cli/bundle/, see rolldown.config.mjs), the fast-starting form of dist/main.js.
// Source maps cost start-up time (Node parses them as it loads each file): only --verbose, the one
// option that prints stack traces, turns them on, so that those name src/*.ts lines.
if (process.argv.includes('--verbose')) process.setSourceMapsEnabled(true);
// `--help`, `<command> --help` and `--version` print the page the build stored (src/help-pages.ts).
const { printStoredHelpPage } = await import('../bundle/help-pages.js');
if (!printStoredHelpPage()) await import('../bundle/main.js');
