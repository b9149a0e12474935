import { describe, expect, it } from 'vitest';
import {
  DataError, InvalidArgumentError, Rng, StreamingPreprocessing, columnValues, fitPreprocessing, inferKind,
  type ColumnKind, type PreprocessOptions, type Preprocessing, type TextColumn,
} from '@onnx-mlp/core';

/** Every number of `a` within `tol` of `b` (relative to its size), everything else equal. */
function expectClose(a: unknown, b: unknown, tol = 1e-9, path = '$'): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Math.abs(a - b) > tol * Math.max(1, Math.abs(b))) throw new Error(`${path}: ${a} != ${b}`);
    return;
  }
  if (Array.isArray(a) || (a !== null && typeof a === 'object')) {
    expect(Object.keys(a as object).sort(), path).toEqual(Object.keys(b as object).sort());
    for (const k of Object.keys(a as object)) expectClose((a as any)[k], (b as any)[k], tol, `${path}.${k}`);
    return;
  }
  expect(a, path).toEqual(b);
}

/** A table of text columns with every kind: numbers with gaps, booleans, categories with gaps, codes, a late non-number. */
function table(rows: number, seed: number): TextColumn[] {
  const rng = new Rng(seed);
  const col = (f: (i: number) => string | null) => Array.from({ length: rows }, (_, i) => f(i));
  return [
    { name: 'big', values: col(() => (rng.uniform() < 0.1 ? '' : String(1e6 + rng.normal() * 3))) },
    { name: 'small', values: col(() => String((rng.uniform() - 0.5) * 1e-3)) },
    { name: 'flat', values: col(() => '7') },
    { name: 'flag', values: col(() => (rng.uniform() < 0.05 ? 'NA' : ['true', 'False', 'yes', 'NO'][rng.int(4)]!)) },
    { name: 'color', values: col(() => (rng.uniform() < 0.1 ? null : ['red', 'green', 'blue', 'teal'][rng.int(4)]!)) },
    { name: 'zip', values: col(() => String(10000 + rng.int(30))) },
    { name: 'late', values: col((i) => (i === rows - 3 ? 'oops' : String(rng.int(5)))) },
  ];
}

function fitted(columns: TextColumn[], overrides: Map<string, ColumnKind>, options: PreprocessOptions): Preprocessing {
  return fitPreprocessing(columns.map((c) => columnValues(c, inferKind(c, overrides.get(c.name)), (r) => `row ${r + 1}`)), options);
}

function streamed(columns: TextColumn[], overrides: Map<string, ColumnKind>, options: PreprocessOptions): Preprocessing {
  const s = new StreamingPreprocessing(columns.map((c) => c.name), overrides);
  for (let r = 0; r < columns[0]!.values.length; r++) s.add(columns.map((c) => c.values[r] ?? null));
  return s.finish(options);
}

describe('streamed preprocessing statistics (train --stream)', () => {
  const columns = table(5000, 11);
  const overrides = new Map<string, ColumnKind>([['zip', 'categorical']]);
  const variants: PreprocessOptions[] = [
    {},
    { scaling: 'minmax' },
    { scaling: 'none', categoricalMissing: 'category' },
  ];
  for (const options of variants) {
    it(`one pass gives fitPreprocessing's schema to 1e-9 (${JSON.stringify(options)})`, () => {
      const expected = fitted(columns, overrides, options);
      const got = streamed(columns, overrides, options);
      expect(got.columns.map((c) => c.kind)).toEqual(['numeric', 'numeric', 'numeric', 'boolean', 'categorical', 'categorical', 'categorical']);
      expectClose(got, expected);
    });
  }

  it('infers kinds online as inferKind does, whatever comes first', () => {
    for (const values of [['1', '2', 'x'], ['x', '1'], ['true', 'no', ''], ['1', '0', 'yes'], ['', 'NA'], ['1e3', ' 2 ']]) {
      const s = new StreamingPreprocessing(['c']);
      for (const v of values) s.add([v]);
      expect(s.columns[0]!.kind, values.join('|')).toBe(inferKind({ name: 'c', values }));
    }
  });

  it('refuses the median, which needs every value, and a column with no values', () => {
    const s = new StreamingPreprocessing(['a']);
    s.add(['1']);
    expect(() => s.finish({ numericImpute: 'median' })).toThrow(InvalidArgumentError);
    const empty = new StreamingPreprocessing(['a']);
    empty.add(['']);
    expect(() => empty.finish()).toThrow(DataError);
  });
});
