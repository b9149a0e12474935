// trainInThisThread with dp against `onnx-mlp train --dp` on examples/customers.csv (onnxruntime-node):
// the same Poisson batches and host noise, so the same weights bit for bit and the same guarantee.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ortNode from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel } from '@onnx-mlp/core';
import { trainInThisThread, type OrtModule } from '../src/index.js';
import { runCli } from '../../../tests/helpers/run-cli.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/temp-dir.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const node = ortNode as unknown as OrtModule;

let dir: string;
let csv: string;
beforeAll(async () => {
  dir = await makeTempDir('onnx-mlp-web-dp-');
  csv = await readFile(join(EXAMPLES, 'customers.csv'), 'utf8');
});
afterAll(() => removeDir(dir));

describe('trainInThisThread with dp', () => {
  it('trains as `onnx-mlp train --dp` does: bit-identical weights, the same onnx_mlp.privacy, ε in every epoch event', async () => {
    const cli = await runCli(
      [
        'train',
        '--data',
        'customers.csv',
        '--label',
        'churn',
        '--exclude',
        'customer_id',
        '--epochs',
        '3',
        '--dp',
        '--dp-noise',
        '1.2',
        '--runs-dir',
        join(dir, 'runs'),
        '--quiet',
      ],
      { cwd: EXAMPLES, timeoutMs: 120_000 },
    );
    expect(cli.code, cli.stderr).toBe(0);
    const cliModel = decodeModel(await readFile(join(dir, 'runs', '1', 'model.onnx')));
    const epsilons: number[] = [];
    const result = await trainInThisThread({
      data: new File([csv], 'customers.csv'),
      label: 'churn',
      exclude: ['customer_id'],
      epochs: 3,
      dp: true,
      dpNoise: 1.2,
      runtime: node,
      onNotice: () => {},
      onEpochEnd: (e) => epsilons.push(e.epsilon!),
    });
    const ours = decodeModel(result.model);
    expect(ours.metadata.get('onnx_mlp.privacy')).toBe(cliModel.metadata.get('onnx_mlp.privacy'));
    const privacy = JSON.parse(ours.metadata.get('onnx_mlp.privacy')!) as { epsilon: number; noiseMultiplier: number };
    expect(privacy.noiseMultiplier).toBe(1.2);
    expect(epsilons).toHaveLength(3);
    expect(epsilons[2]).toBe(privacy.epsilon);
    expect(epsilons[0]!).toBeLessThan(epsilons[1]!);
    let compared = 0;
    for (const [name, t] of cliModel.graph.initializers) {
      if (!/^(dense\d+|output)\.(weight|bias)$/.test(name)) continue;
      compared++;
      expect(Buffer.from(ours.graph.initializers.get(name)!.data.buffer).equals(Buffer.from(t.data.buffer)), name).toBe(true);
    }
    expect(compared).toBe(6); // three layers: weights and biases
  }, 150_000);

  it('refuses classWeights with dp, and dp options without dp', async () => {
    await expect(trainInThisThread({ data: csv, label: 'churn', dp: true, classWeights: 'balanced', runtime: node })).rejects.toThrow(
      /classWeights = "balanced": cannot be combined with dp/,
    );
    await expect(trainInThisThread({ data: csv, label: 'churn', dpNoise: 1, runtime: node })).rejects.toThrow(
      /dpNoise = 1: only dp uses it/,
    );
  });
});
