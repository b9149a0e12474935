import { describe, expect, it } from 'vitest';
import { buildInferenceModel, checkIntegrity, decodeModel, encodeModel, mlpSpec, sealModel, type Preprocessing } from '@onnx-mlp/core';
import { CARD_FORMAT, cardMarkdown, readCardView, readModelCard, withModelCard, type ModelCard } from '@onnx-mlp/core/artifacts';
import { summarizePreprocessing } from '@onnx-mlp/core/inspect';
import { META } from '@onnx-mlp/core/internal';
import { Rng, initParameters } from '@onnx-mlp/core/model';

const preprocessing: Preprocessing = {
  columns: [
    { name: 'age', kind: 'numeric', impute: 41.5, imputeStrategy: 'mean', scaling: 'standard', center: 41.5, scale: 12.25 },
    {
      name: 'city',
      kind: 'categorical',
      vocabulary: ['lyon', 'oslo', 'rome', 'kyiv', 'lima', 'pune', 'riga'],
      missing: 'category',
      missingIndex: 6,
    },
  ],
};
const spec = mlpSpec({ inputs: 8, hidden: [4], outputs: 2, task: 'multiclass' });

const CARD: ModelCard = {
  format: CARD_FORMAT,
  toolkit: 'onnx-mlp 0.1.0',
  createdAt: '2026-11-30T12:00:00.000Z',
  device: 'cpu',
  trainingSeconds: 1.25,
  seed: 7,
  configuration: { epochs: 3 },
  data: { files: [{ role: 'data', file: 'a.csv', bytes: 10, sha256: 'ab'.repeat(32) }], classCounts: { train: [3, 5], test: [1, 2] } },
  metrics: {
    test: {
      rows: 3,
      accuracy: 2 / 3,
      correct: 2,
      perClass: [
        { class: 'no', precision: 1, recall: 1, f1: 1, support: 1 },
        { class: 'yes', precision: 0.5, recall: 0.5, f1: 0.5, support: 2 },
      ],
      macro: { precision: 0.75, recall: 0.75, f1: 0.75, support: 3 },
      weighted: { precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 },
      confusion: [
        [1, 0],
        [1, 1],
      ],
    },
  },
  history: [{ epoch: 1, loss: 0.5 }],
  owner: 'Team | pipes',
};

function carded() {
  const model = buildInferenceModel(spec, initParameters(spec, new Rng(1)), {
    classNames: ['no', 'yes'],
    preprocessing,
    training: { seed: 7, split: 'stratified, seed 7' },
  });
  return withModelCard(model, CARD, (v) => cardMarkdown(v, { docString: true }));
}

describe('the model card (onnx_mlp.card)', () => {
  it('round-trips through encode/decode and is covered by the digest', async () => {
    const sealed = await sealModel(carded());
    const decoded = decodeModel(encodeModel(sealed));
    expect(readModelCard(decoded)).toEqual(CARD);
    expect(decoded.docString).toBe(sealed.docString);
    expect(await checkIntegrity(decoded)).toMatchObject({ status: 'ok' });
    const edited = new Map(decoded.metadata).set(META.card, JSON.stringify({ ...CARD, seed: 8 }));
    expect(await checkIntegrity({ ...decoded, metadata: edited })).toMatchObject({ status: 'mismatch', differs: ['metadata'] });
  });

  it('a card of another format version is not read as this one', () => {
    const model = carded();
    const other = new Map(model.metadata).set(META.card, JSON.stringify({ ...CARD, format: 'onnx-mlp/card/v2' }));
    expect(readModelCard({ ...model, metadata: other })).toBeNull();
  });

  it('readCardView lists every onnx_mlp.* key it does not render itself, parsed, by name', () => {
    const model = carded();
    const metadata = new Map(model.metadata).set('onnx_mlp.privacy', '{"epsilon":1.5}').set('onnx_mlp.note', 'not json').set('other', 'x');
    const view = readCardView({ ...model, metadata });
    expect(view.extras).toEqual([
      { key: 'note', value: 'not json' },
      { key: 'privacy', value: { epsilon: 1.5 } },
    ]);
    expect(view.classNames).toEqual(['no', 'yes']);
    expect(view.preprocessing).toEqual(preprocessing);
  });

  it('the Markdown states the figures: scores to 4 decimals, counts per split, statistics, escaped pipes', () => {
    const md = cardMarkdown(readCardView(carded()));
    expect(md).toContain('accuracy 0.666667 (2 of 3), macro F1 0.75');
    expect(md).toContain('| yes | 0.5000 | 0.5000 | 0.5000 | 2 |');
    expect(md).toContain('| no | 3 | 1 |');
    expect(md).toContain('| age | numeric | mean 41.5 | standard (center 41.5, scale 12.25) |');
    expect(md).toContain('| city | categorical | own category | one-hot, 7 categories: "lyon", "oslo", "rome", "kyiv", "lima", … |');
    expect(md).toContain('| owner | Team \\| pipes |');
    expect(md).toContain(`| data | a.csv | 10 | ${'ab'.repeat(32)} |`);
  });

  it('summarizePreprocessing gives each raw column with its statistics or its first values', () => {
    expect(summarizePreprocessing(preprocessing, 3)).toEqual([
      {
        index: 0,
        name: 'age',
        kind: 'numeric',
        imputation: 'mean 41.5',
        scaling: 'standard (center 41.5, scale 12.25)',
        center: 41.5,
        scale: 12.25,
      },
      { index: 1, name: 'city', kind: 'categorical', imputation: 'own category', vocabularySize: 7, firstValues: ['lyon', 'oslo', 'rome'] },
    ]);
  });
});
