import { encodeModel, featureWidth, type Table } from '@onnx-mlp/core';
import { buildPreprocessModel } from '@onnx-mlp/core/artifacts';
import { prepareTables, withFeatures, type TabularData, type TabularHints } from '@onnx-mlp/core/tabular';
import type { ResolvedRuntime } from '../runtime.js';
import type { DataSettings } from './options.js';

export type { TabularData, TabularSplit } from '@onnx-mlp/core/tabular';

/** Core's tabular advice worded with the web package's option names. */
const WEB_HINTS: TabularHints = {
  exclude: (column) => `exclude: [${JSON.stringify(column)}]`,
  categorical: (column) => `categorical: [${JSON.stringify(column)}]`,
  regressionTask: '',
  task: (task) => `task: ${JSON.stringify(task)}`,
  maxCategories: 'maxCategories',
};

/**
 * Prepares a table as `onnx-mlp train --data` does, with the same core pipeline (prepareTables: label
 * encoding, the seeded, stratified-for-classifiers split, kinds and statistics fitted on the train
 * split only), then runs every split through the preprocessing graph on the runtime's CPU backend.
 */
export async function prepareTable(
  runtime: ResolvedRuntime,
  table: Table,
  o: DataSettings,
  split: { valSplit: number | null; seed: number },
): Promise<TabularData> {
  const { ort } = runtime;
  const prepared = prepareTables(
    { data: table, val: null, test: null },
    { settings: o, valSplit: split.valSplit, seed: split.seed, hints: WEB_HINTS },
  );
  const session = await ort.InferenceSession.create(encodeModel(buildPreprocessModel(prepared.preprocessing)), runtime.cpuSessionOptions);
  const width = featureWidth(prepared.preprocessing);
  const columns = prepared.preprocessing.columns.length;
  try {
    return await withFeatures(prepared, {
      width,
      run: async (raw) => {
        const out = await session.run({ input: new ort.Tensor('float32', raw.slice(), [raw.length / columns, columns]) });
        return Float32Array.from(out.features!.data as Float32Array);
      },
    });
  } finally {
    await session.release();
  }
}
