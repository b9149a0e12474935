import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  Trainer,
  buildInferenceModel,
  buildTrainingArtifacts,
  decodeModel,
  encodeModel,
  initialState,
  mlpSpec,
  optimizerConfig,
} from '@onnx-mlp/core';
import { META } from '@onnx-mlp/core/internal';
import { TargetMoments, labelUnitLossFactor, scaleTargets } from '@onnx-mlp/core/preprocess';
import { linearRegression } from './helpers/datasets.js';

const spec = mlpSpec({ inputs: 3, hidden: [8], outputs: 2, task: 'regression' });

async function predict(bytes: Uint8Array, x: Float32Array, rows: number): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const out = await session.run({ input: new ort.Tensor('float32', x, [rows, 3]) });
    return out.prediction!.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe('regression target scaling', () => {
  it("TargetMoments gives each column's mean and population standard deviation (scale 1 with no spread)", () => {
    const rows = [
      [1, 5],
      [2, 5],
      [6, 5],
    ];
    const m = new TargetMoments(2);
    m.add(Float32Array.from(rows.flat()), 0);
    m.add(Float32Array.from(rows.flat()), 2);
    m.add(Float32Array.from(rows.flat()), 4);
    const s = m.finish();
    expect(s.center[0]).toBeCloseTo(3, 12);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt((4 + 1 + 9) / 3), 12);
    expect(s.center[1]).toBe(5);
    expect(s.scale[1]).toBe(1);
    expect(Array.from(scaleTargets(Float32Array.from([3, 7]), s))).toEqual([0, 2]);
    expect(labelUnitLossFactor({ center: [1], scale: [3] })).toBe(9);
    expect(labelUnitLossFactor(s)).toBeNull();
  });

  it('model.onnx ends with prediction × scale + center, and records the scaling in its metadata', async () => {
    const params = initialState(buildTrainingArtifacts(spec, optimizerConfig('adam')), 3).parameters;
    const ts = { center: [100, -2], scale: [40, 0.5] };
    const plain = encodeModel(buildInferenceModel(spec, params));
    const scaled = encodeModel(buildInferenceModel(spec, params, { targetScaling: ts }));
    const x = Float32Array.from([0.5, -1, 2, 3, 0, -0.25]);
    const p = await predict(plain, x, 2);
    const q = await predict(scaled, x, 2);
    for (let i = 0; i < 4; i++) expect(q[i]).toBeCloseTo(p[i]! * ts.scale[i % 2]! + ts.center[i % 2]!, 4);
    expect(JSON.parse(decodeModel(scaled).metadata.get(META.targetScaling)!)).toEqual(ts);
    expect(decodeModel(plain).metadata.has(META.targetScaling)).toBe(false);
    // A classifier ignores it.
    const cls = mlpSpec({ inputs: 3, hidden: [8], outputs: 2 });
    const clsParams = initialState(buildTrainingArtifacts(cls, optimizerConfig('adam')), 3).parameters;
    expect(decodeModel(encodeModel(buildInferenceModel(cls, clsParams, { targetScaling: ts }))).metadata.has(META.targetScaling)).toBe(
      false,
    );
  });

  it('fit with lossScale records every loss and val_loss × lossScale (same weights as without)', async () => {
    const one = mlpSpec({ inputs: 3, hidden: [8], outputs: 1, task: 'regression' });
    const data = linearRegression(64, 3, 1, 0.1, 1);
    const run = async (lossScale?: number) => {
      const artifacts = buildTrainingArtifacts(one, optimizerConfig('adam'));
      const t = await Trainer.create(ort, artifacts, initialState(artifacts, 5));
      try {
        const history = await t.fit(data, { epochs: 3, batchSize: 16, validationData: data, ...(lossScale ? { lossScale } : {}) });
        return history;
      } finally {
        await t.release();
      }
    };
    const base = await run();
    const scaled = await run(9);
    base.forEach((r, i) => {
      expect(scaled[i]!.loss).toBeCloseTo(r.loss * 9, 9);
      expect(scaled[i]!.valLoss).toBeCloseTo(r.valLoss! * 9, 9);
    });
  });
});
