// Runs many CLI command lines in one Node process, each as a fresh evaluation of the built CLI's
// entry module (bundle/main.js?case=N: what the bin runs, imported directly because the bin itself
// would evaluate it once), so that a fault-injection suite pays Node's and ONNX Runtime's
// start-up (about 0.6 s) once, not once per case. Usage: node fault-driver.mjs PLAN.json
// PLAN: { cwd, results, timeoutMs, cases: [{ id, args, scan }] }. For each case it appends to
// `results` one JSON line: exit code, stderr, stdout byte count, uncaught errors, milliseconds and
// the temp files (`*.tmp-<pid>-<hex>`) left under `scan`. A line {"start": id} comes first, so a
// crash of this process names its case; a case that runs past timeoutMs is reported and ends the run.
import { openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CLI = fileURLToPath(new URL('../../packages/cli/bundle/main.js', import.meta.url));
const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
process.chdir(plan.cwd);
const results = openSync(plan.results, 'w');
const emit = (record) => writeSync(results, `${JSON.stringify(record)}\n`);

// Each evaluation of main.js adds its signal and stdout listeners: many are expected here.
process.setMaxListeners(0);
process.stdout.setMaxListeners(0);

let current = { stdout: 0, stderr: '', uncaught: [] };
const capture = (stream, sink) => {
  stream.write = (chunk, encoding, callback) => {
    sink(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = typeof encoding === 'function' ? encoding : callback;
    if (done) process.nextTick(done);
    return true;
  };
};
capture(process.stdout, (text) => {
  current.stdout += Buffer.byteLength(text);
});
capture(process.stderr, (text) => {
  current.stderr += text;
});
// In a real process these would print a stack trace and end it: the suite counts them as traces.
process.on('uncaughtException', (e) => current.uncaught.push(String(e?.stack ?? e)));
process.on('unhandledRejection', (e) => current.uncaught.push(String(e?.stack ?? e)));

/** Temp files (`<name>.tmp-<pid>-<hex>`) under `folder`. */
function tempFiles(folder) {
  try {
    return readdirSync(folder, { recursive: true }).filter((n) => /\.tmp-\d+-[0-9a-f]+$/.test(String(n)));
  } catch {
    return [];
  }
}

for (const [index, c] of plan.cases.entries()) {
  emit({ start: c.id });
  current = { stdout: 0, stderr: '', uncaught: [] };
  process.argv = [process.execPath, CLI, ...c.args];
  process.exitCode = undefined;
  const began = Date.now();
  let timer;
  const finished = import(`${pathToFileURL(CLI).href}?case=${index}`).then(
    () => 'done',
    (e) => current.uncaught.push(String(e?.stack ?? e)),
  );
  const outcome = await Promise.race([finished, new Promise((r) => (timer = setTimeout(() => r('hang'), plan.timeoutMs)))]);
  clearTimeout(timer);
  // Let work the command left behind (a stream's late error, a pending rejection) surface now.
  await new Promise((r) => setTimeout(r, 5));
  const record = {
    id: c.id,
    code: process.exitCode ?? 0,
    stderr: current.stderr,
    stdout: current.stdout,
    uncaught: current.uncaught,
    ms: Date.now() - began,
    temps: c.scan ? tempFiles(join(plan.cwd, c.scan)) : [],
    hang: outcome === 'hang',
  };
  emit(record);
  if (record.hang) process.exit(3);
}
process.exitCode = 0;
