// Bounded vocabularies: --max-categories (the "<other>" slot), counting in bounded memory, identifier columns refused.
import { describe, expect, it } from 'vitest';
import { encodeRecord, readCsv, type Table } from '@onnx-mlp/core';
import { checkModelSize, mlpSpec, parameterCount } from '@onnx-mlp/core/model';
import {
  CategoryCounter,
  OTHER_CATEGORY,
  StreamingPreprocessing,
  fitPreprocessing,
  type CategoricalColumn,
} from '@onnx-mlp/core/preprocess';
import { prepareTables } from '@onnx-mlp/core/tabular';
import { HINTS, SETTINGS } from './helpers/tabular-settings.js';

/** 3,000 rows: city c{i % 1500} (1,500 distinct: not an identifier, too many to keep), a number, a label. */
async function cities(city: (i: number) => string = (i) => `c${i % 1500}`): Promise<Table> {
  const rows = Array.from({ length: 3000 }, (_, i) => `${city(i)},${i % 11},${i % 2 ? 'a' : 'b'}`);
  return readCsv(new TextEncoder().encode(['city,x,y', ...rows].join('\n')), { file: 'cities.csv' });
}

describe('capped vocabularies', () => {
  it('CategoryCounter: exact up to its capacity; past it the frequent values stay (Misra-Gries) and the distinct count is estimated', () => {
    const small = new CategoryCounter(10);
    for (const v of ['a', 'b', 'a', 'c']) small.add(v);
    expect(small.exact).toBe(true);
    expect(small.distinct).toBe(3);
    expect([...small.kept]).toEqual([
      ['a', 2],
      ['b', 1],
      ['c', 1],
    ]);
    const big = new CategoryCounter(1000);
    // 200,000 distinct values once each, and "hot" every 50th value (4,000 times).
    for (let i = 0; i < 200_000; i++) {
      big.add(`v${i}`);
      if (i % 50 === 0) big.add('hot');
    }
    expect(big.exact).toBe(false);
    expect(big.present).toBe(204_000);
    expect(big.kept.size).toBeLessThanOrEqual(1000);
    // Misra-Gries undercounts by at most present / (capacity + 1).
    expect(big.kept.get('hot')).toBeGreaterThanOrEqual(4000 - 204_000 / 1001);
    expect(Math.abs(big.distinct / 200_001 - 1)).toBeLessThan(0.03);
  });

  it('prepareTables with maxCategories 100: the 99 most frequent values and one "<other>" slot, stated in a notice and the schema', async () => {
    // c0..c9 twice as frequent as the rest: they are among the kept ones.
    const table = await cities((i) => (i % 3 === 0 ? `c${i % 10}` : `c${i % 1500}`));
    const p = prepareTables(
      { data: table, val: null, test: null },
      { settings: { ...SETTINGS, maxCategories: 100 }, valSplit: null, seed: 1, hints: HINTS },
    );
    const city = p.preprocessing.columns[0] as CategoricalColumn;
    expect(city.vocabulary).toHaveLength(100);
    expect(city.otherIndex).toBe(99);
    expect(city.vocabulary[99]).toBe(OTHER_CATEGORY);
    for (let k = 0; k < 10; k++) expect(city.vocabulary).toContain(`c${k}`);
    // 1,004 distinct values in the file (c0..c9, and the c<j> with j not a multiple of 3); the train split's
    // 2,400 rows hold most of them, counted exactly: all but the 99 kept share the slot.
    expect(city.otherCategories! + 99).toBeGreaterThan(900);
    expect(city.otherCategories! + 99).toBeLessThanOrEqual(1004);
    expect(p.notices).toContainEqual(
      `column "city" has ${99 + city.otherCategories!} distinct values: the 99 most frequent are categories, the other ${city.otherCategories} share one "<other>" slot (<max categories>)`,
    );
    // A value beyond the cap, and one never seen, are encoded as the "<other>" slot.
    const rare = Array.from(table.columns[0]!.cells).find((v) => !city.vocabulary.includes(String(v)))!;
    expect(encodeRecord(p.preprocessing, { city: rare, x: 1 })[0]).toBe(99);
    expect(encodeRecord(p.preprocessing, { city: 'never-seen', x: 1 })[0]).toBe(99);
    expect(encodeRecord(p.preprocessing, { city: 'c3', x: 1 })[0]).toBe(city.vocabulary.indexOf('c3'));
    // Without a cap above the count, every value is its own category, and there is no "<other>" slot.
    const all = prepareTables(
      { data: await cities(), val: null, test: null },
      { settings: { ...SETTINGS, maxCategories: 5000 }, valSplit: null, seed: 1, hints: HINTS },
    );
    expect((all.preprocessing.columns[0] as CategoricalColumn).otherIndex).toBeUndefined();
    expect((all.preprocessing.columns[0] as CategoricalColumn).vocabulary.length).toBeGreaterThan(1000);
  });

  it('the default cap is 1000: the vocabulary of 1,500 values is bounded without being asked', async () => {
    const p = prepareTables({ data: await cities(), val: null, test: null }, { settings: SETTINGS, valSplit: null, seed: 1, hints: HINTS });
    expect((p.preprocessing.columns[0] as CategoricalColumn).vocabulary).toHaveLength(1000);
  });

  it('streamed and whole-column statistics cap alike', () => {
    const values = Array.from({ length: 5000 }, (_, i) => (i % 5 === 0 ? 'top' : `k${(i * 7919) % 3000}`));
    const whole = fitPreprocessing([{ name: 'k', kind: 'categorical', values }], { maxCategories: 50 });
    const s = new StreamingPreprocessing(['k'], { maxCategories: 50 });
    for (const v of values) s.add([v]);
    const streamed = s.finish({ maxCategories: 50 });
    expect(whole.columns[0]).toMatchObject({ otherIndex: 49 });
    expect(streamed.columns[0]).toMatchObject({ otherIndex: 49 });
    expect((streamed.columns[0] as CategoricalColumn).vocabulary).toContain('top');
  });

  it('a column with a different value in (nearly) every row is refused, naming it and the advice', async () => {
    const table = await cities((i) => `person${i}@example.com`);
    expect(() =>
      prepareTables({ data: table, val: null, test: null }, { settings: SETTINGS, valSplit: null, seed: 1, hints: HINTS }),
    ).toThrow(
      'cities.csv, column "city": has a different value in every one of the train rows: it looks like an identifier or free text, which a model must not carry in its vocabulary (nor can it generalise from it); leave it out with <exclude city>',
    );
    // Declared categorical, it is the user's choice (capped all the same).
    const declared = prepareTables(
      { data: table, val: null, test: null },
      { settings: { ...SETTINGS, categorical: ['city'] }, valSplit: null, seed: 1, hints: HINTS },
    );
    expect((declared.preprocessing.columns[0] as CategoricalColumn).vocabulary).toHaveLength(1000);
  });
});

describe('a model that cannot fit', () => {
  it('is refused with the size it would need, before anything is allocated', () => {
    const spec = mlpSpec({ inputs: 784, hidden: [100_000_000], outputs: 10 });
    expect(parameterCount(spec)).toBe(784 * 1e8 + 1e8 + 1e8 * 10 + 10);
    expect(() => checkModelSize(spec, { slots: 2 })).toThrow(
      'the MLP 784-100000000-10 has 79,500,000,010 parameters: its weights need 296.2 GiB, more than the 2.0 GiB one .onnx file can hold, and training needs 1.2 TiB',
    );
    const mid = mlpSpec({ inputs: 784, hidden: [4096, 4096], outputs: 10 });
    expect(() => checkModelSize(mid, { slots: 2, memoryBytes: 100 * 2 ** 20 })).toThrow(
      /^the MLP 784-4096-4096-10 has 20,037,642 parameters: training needs at least 305\.8 MiB \(weights, gradients and optimizer state\), more than this machine's 100\.0 MiB$/,
    );
    expect(() => checkModelSize(mid, { slots: 2, memoryBytes: 2 ** 30 })).not.toThrow();
  });
});
