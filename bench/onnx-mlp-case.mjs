// One onnx-mlp benchmark case in its own process: trains a setup's MLP on its bench data (Adam,
// Glorot-uniform weights, zero biases) and prints one JSON line: s/epoch (median after the first),
// test accuracy, peak RSS. With `profile`, ORT traces every kernel and the op table is printed on stderr.
// Usage: node bench/onnx-mlp-case.mjs SETUP DATA_DIR THREADS [loop|step] [profile]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import * as core from '../packages/core/dist/index.js';
import { formatOpTable, opTypeTimes, profilingOptions, readProfileEvents, scopeTimes } from '../packages/cli/dist/train/op-profile.js';
import { readBenchData } from './bench-data.mjs';
import { SETUPS, medianAfterFirst } from './setups.mjs';

const [name, dir, threadArg, mode, profileArg] = process.argv.slice(2);
const s = SETUPS[name];
const threads = Number(threadArg ?? 2);
const profile = profileArg === 'profile';
const { train, test } = readBenchData(dir);
const spec = core.mlpSpec({ inputs: s.inputs, hidden: s.hidden, outputs: s.outputs });
const art = core.buildTrainingArtifacts(spec, core.optimizerConfig('adam'));
const traceDir = profile ? mkdtempSync(join(tmpdir(), 'onnx-mlp-profile-')) : '';
const sessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1, ...(profile ? profilingOptions(traceDir) : {}) };
const trainer = await core.Trainer.create(ort, art, core.initialState(art, 42), { sessionOptions });
// One fit call an epoch, so that each epoch's process CPU time can be read beside its wall time.
const cpu = [];
let history = [];
for (let epoch = 1; epoch <= s.epochs; epoch++) {
  const c0 = process.cpuUsage();
  history = await trainer.fit(train, { epochs: epoch, batchSize: s.batch, loop: mode !== 'step' });
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1e6);
}
const { accuracy } = await trainer.evaluate(test);
await trainer.release();
if (profile) {
  console.error(`trace: ${traceDir}`);
  const events = await readProfileEvents(traceDir);
  console.error([...formatOpTable(opTypeTimes(events), s.epochs), '', ...formatOpTable(scopeTimes(events), s.epochs, 'scope')].join('\n'));
}
console.log(
  JSON.stringify({
    seconds: medianAfterFirst(history.map((h) => h.seconds)),
    cpuSeconds: medianAfterFirst(cpu),
    epochs: history.map((h) => h.seconds),
    accuracy,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
