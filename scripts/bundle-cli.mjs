// `npm run build`'s last step: bundles the CLI with packages/cli/rolldown.config.mjs (the same
// config `npx rolldown -c packages/cli/rolldown.config.mjs` takes), prints one line instead of
// rolldown's table of every chunk, and stores the help pages the bin prints without loading yargs
// (packages/cli/src/help-pages.ts): each is what the bundle itself prints, in English, unwrapped
// by a terminal.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'rolldown';
import { COMMANDS } from '../packages/cli/dist/commands/command-list.js';
import { HELP_PAGES_FILE, helpPageCommandLines } from '../packages/cli/dist/help-pages.js';
import config from '../packages/cli/rolldown.config.mjs';

const { output } = await build(config);
const chunks = output.filter((o) => o.type === 'chunk');
const kB = (n) => `${Math.round(n / 1000)} kB`;
const total = chunks.reduce((sum, c) => sum + c.code.length, 0);
const entry = chunks.find((c) => c.isEntry && c.name === 'main');
console.log(`${config.output.dir}: ${chunks.length} chunks, ${kB(total)} (entry ${entry.fileName}, ${kB(entry.code.length)})`);

const english = { ...process.env, LC_ALL: '', LC_MESSAGES: '', LANG: 'C', LANGUAGE: '' };
const main = join(config.output.dir, entry.fileName);
const pages = {};
await Promise.all(
  helpPageCommandLines(Object.keys(COMMANDS)).map(async (args) => {
    // stdout is a pipe here, so yargs wraps at the full width, as the stored pages assume.
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [main, ...args], { env: english });
    if (stderr !== '') throw new Error(`onnx-mlp ${args.join(' ')} wrote to stderr: ${stderr}`);
    pages[args.join(' ')] = stdout;
  }),
);
const sorted = Object.fromEntries(Object.entries(pages).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(join(config.output.dir, HELP_PAGES_FILE), `${JSON.stringify(sorted, null, 1)}\n`);
