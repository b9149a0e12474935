// One onnx-mlp benchmark case in its own process, so its peak RSS is its own. Prints one JSON line.
import * as ort from 'onnxruntime-node';
import * as core from '../packages/core/dist/index.js';
import { Rng } from '../packages/core/dist/entry/model.js';
import { loadMnistDigits } from '../packages/cli/dist/data/mnist.js';
import { SETUPS, medianAfterFirst } from './setups.mjs';

const [name, threads, loop] = [process.argv[2], Number(process.argv[3] ?? 2), process.argv[4] !== 'step'];
const s = SETUPS[name];

async function data() {
  if (name === 'mnist') return core.stratifiedSplit(await loadMnistDigits(), s.rows, 42)[0];
  // A random linear teacher labels Gaussian features, so the problem is learnable.
  const rng = new Rng(7);
  const features = new Float32Array(s.rows * s.inputs);
  for (let i = 0; i < features.length; i++) features[i] = rng.normal();
  const teacher = Float32Array.from({ length: s.inputs * s.outputs }, () => rng.normal());
  const targets = new Float32Array(s.rows);
  for (let r = 0; r < s.rows; r++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < s.outputs; c++) {
      let z = 0;
      for (let k = 0; k < s.inputs; k++) z += features[r * s.inputs + k] * teacher[k * s.outputs + c];
      if (z > bestScore) {
        bestScore = z;
        best = c;
      }
    }
    targets[r] = best;
  }
  return { features, rows: s.rows, cols: s.inputs, targets };
}

const train = await data();
const spec = core.mlpSpec({ inputs: s.inputs, hidden: s.hidden, outputs: s.outputs });
const art = core.buildTrainingArtifacts(spec, core.optimizerConfig('adam'));
const trainer = await core.Trainer.create(ort, art, core.initialState(art, 42), { intraOpNumThreads: threads });
const history = await trainer.fit(train, { epochs: s.epochs, batchSize: s.batch, loop });
console.log(
  JSON.stringify({
    seconds: medianAfterFirst(history.map((h) => h.seconds)),
    loss: history.at(-1).loss,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
