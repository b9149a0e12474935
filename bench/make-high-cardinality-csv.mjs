#!/usr/bin/env node
// Writes a CSV of ROWS rows with one categorical column of DISTINCT distinct values (zipf-like: value
// k about 1/k as often, so some are frequent and most are rare), two numbers and a binary label, for
// the memory bounds of train (README, "Memory bounds"). Seeded; streamed to disk, nothing held.
//   node bench/make-high-cardinality-csv.mjs /tmp/hc-50k.csv 2000000 50000
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { xorshift32 } from './xorshift.mjs';

const [out, rowsText = '2000000', distinctText = '50000'] = process.argv.slice(2);
const rows = Number(rowsText);
const distinct = Number(distinctText);
if (!out || !(rows > 0) || !(distinct > 0)) throw new Error('usage: make-high-cardinality-csv.mjs OUT.csv ROWS DISTINCT');
const rand = xorshift32(12345);
// Half the rows draw a value uniformly (so every value appears), half from a steep power law.
const draw = () => (rand() < 0.5 ? Math.floor(rand() * distinct) : Math.floor(distinct ** rand()) - 1);
const stream = createWriteStream(out);
stream.write('x1,x2,key,label\n');
for (let r = 0; r < rows; r += 10_000) {
  const lines = [];
  for (let i = r; i < Math.min(rows, r + 10_000); i++) {
    const k = draw();
    const x1 = rand() * 10;
    const x2 = rand() * 4 - 2;
    // The label depends on the numbers and on whether the key is one of the first hundred values.
    const y = x1 / 10 + x2 / 4 + (k < 100 ? 0.5 : 0) + rand() * 0.5 > 1.1 ? 'yes' : 'no';
    lines.push(`${x1.toFixed(3)},${x2.toFixed(3)},k${k},${y}`);
  }
  if (!stream.write(`${lines.join('\n')}\n`)) await once(stream, 'drain');
}
stream.end();
await once(stream, 'finish');
