#!/usr/bin/env node
// Writes a synthetic CSV of about GB gigabytes for the streaming benchmark (train --data --stream):
// four numeric columns (one with missing values), a categorical and a boolean column, and a
// three-class label that depends on them. Streams to disk in 4 MB pieces; nothing is held.
//   node bench/make-big-csv.mjs /tmp/big.csv 2
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { xorshift32 } from './xorshift.mjs';

const [out = '/tmp/big.csv', gbText = '2', seedText = '1'] = process.argv.slice(2);
const target = Number(gbText) * 1e9;
if (!(target > 0)) throw new Error('usage: make-big-csv.mjs OUT.csv GB [SEED]');
const rand = xorshift32(Number(seedText));
const cats = ['red', 'green', 'blue', 'cyan', 'magenta', 'yellow', 'black', 'white'];
const stream = createWriteStream(out);
const header = 'x1,x2,x3,x4,color,member,label\n';
stream.write(header);
let bytes = header.length;
let rows = 0;
const started = Date.now();
while (bytes < target) {
  const lines = [];
  for (let i = 0; i < 50000; i++) {
    const x1 = rand() * 4 - 2;
    const x2 = rand() * 10;
    const x3 = rand() * 2 - 1;
    const x4 = rand() < 0.05 ? '' : (rand() * 100).toFixed(1);
    const c = Math.floor(rand() * cats.length);
    const member = rand() < 0.5;
    const score = x1 + (x2 - 5) / 2.5 + (c % 3) - 1 + (member ? 0.5 : -0.5) + (rand() - 0.5);
    const label = score < -0.8 ? 'low' : score < 0.8 ? 'mid' : 'high';
    lines.push(`${x1.toFixed(4)},${x2.toFixed(3)},${x3.toFixed(4)},${x4},${cats[c]},${member},${label}`);
  }
  const text = `${lines.join('\n')}\n`;
  bytes += text.length;
  rows += lines.length;
  if (!stream.write(text)) await once(stream, 'drain');
}
stream.end();
await once(stream, 'finish');
console.log(`${out}: ${rows} rows, ${(bytes / 1e9).toFixed(2)} GB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
