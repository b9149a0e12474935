import * as ort from 'onnxruntime-node';
import { type Model, type Preprocessing, buildInferenceModel, encodeModel, fitPreprocessing, mlpSpec } from '@onnx-mlp/core';
import { Rng, initParameters } from '@onnx-mlp/core/model';
import type { MlpSpec } from '@onnx-mlp/core/model';

/** A small table's preprocessing: two numeric columns, a boolean, a categorical one (4 categories). */
export function smallPreprocessing(): Preprocessing {
  return fitPreprocessing([
    { name: 'age', kind: 'numeric', values: [20, 35, 50, 65, NaN, 41, 29] },
    { name: 'income', kind: 'numeric', values: [1200, 3400, 2800, 900, 4100, 2500, 3100] },
    { name: 'member', kind: 'boolean', values: [1, 0, 1, 1, 0, 0, 1] },
    { name: 'city', kind: 'categorical', values: ['rome', 'oslo', 'rome', 'lima', null, 'kyiv', 'rome'] },
  ]);
}

/** An inference model over `smallPreprocessing()` with seeded weights (features: 3 numeric + 4 one-hot). */
export function smallModel(task: MlpSpec['task'], activation: MlpSpec['activation'] = 'tanh', seed = 3): Model {
  const outputs = task === 'multiclass' ? 3 : 1;
  const spec = mlpSpec({ inputs: 7, hidden: [6, 5], outputs, task, activation });
  const classNames = task === 'multiclass' ? ['a', 'b', 'c'] : task === 'binary' ? ['no', 'yes'] : undefined;
  return buildInferenceModel(spec, initParameters(spec, new Rng(seed)), {
    preprocessing: smallPreprocessing(),
    ...(classNames ? { classNames } : {}),
  });
}

/** Runs a model on onnxruntime-node: `input` [rows, columns] in, every output as float64 numbers. */
export async function runRows(model: Model, rows: readonly (readonly number[])[]): Promise<Record<string, number[]>> {
  const session = await ort.InferenceSession.create(encodeModel(model), { intraOpNumThreads: 1 });
  const columns = rows[0]!.length;
  const feed = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, columns]);
  const out = await session.run({ [session.inputNames[0]!]: feed });
  await session.release();
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v.data as ArrayLike<number | bigint>, Number)]));
}
