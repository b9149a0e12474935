#!/usr/bin/env node
// The `onnx-mlp` bin. npm links a workspace's bins when it installs, before anything is built, and
// skips a bin whose file is missing: this checked-in file is the target so that `npx onnx-mlp`
// works right after `npm ci && npm run build`.
import '../dist/main.js';
