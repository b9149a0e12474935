// `npm run build`'s last step: bundles the CLI with packages/cli/rolldown.config.mjs (the same
// config `npx rolldown -c packages/cli/rolldown.config.mjs` takes) and prints one line instead of
// rolldown's table of every chunk.
import { build } from 'rolldown';
import config from '../packages/cli/rolldown.config.mjs';

const { output } = await build(config);
const chunks = output.filter((o) => o.type === 'chunk');
const kB = (n) => `${Math.round(n / 1000)} kB`;
const total = chunks.reduce((sum, c) => sum + c.code.length, 0);
const entry = chunks.find((c) => c.isEntry);
console.log(`${config.output.dir}: ${chunks.length} chunks, ${kB(total)} (entry ${entry.fileName}, ${kB(entry.code.length)})`);
