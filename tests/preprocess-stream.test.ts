import { describe, expect, it } from 'vitest';
import { DataError, InvalidArgumentError, fitPreprocessing, type PreprocessOptions, type Preprocessing } from '@onnx-mlp/core';
import { Rng } from '@onnx-mlp/core/model';
import { StreamingPreprocessing, columnValues, inferKind, type ColumnKind, type TextColumn } from '@onnx-mlp/core/preprocess';
import { KIND_WINDOW } from '@onnx-mlp/core/internal';

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

/** A table of text columns with every kind: numbers with gaps, booleans, categories with gaps, codes, a non-number among the first values. */
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
    { name: 'early', values: col((i) => (i === KIND_WINDOW - 3 ? 'oops' : String(rng.int(5)))) },
  ];
}

function fitted(columns: TextColumn[], overrides: Map<string, ColumnKind>, options: PreprocessOptions): Preprocessing {
  return fitPreprocessing(
    columns.map((c) => columnValues(c, inferKind(c, overrides.get(c.name)), (r) => `row ${r + 1}`)),
    options,
  );
}

function streamed(columns: TextColumn[], overrides: Map<string, ColumnKind>, options: PreprocessOptions): Preprocessing {
  const s = new StreamingPreprocessing(
    columns.map((c) => c.name),
    { overrides, keepValues: options.numericImpute === 'median' },
  );
  for (let r = 0; r < columns[0]!.values.length; r++)
    s.add(
      columns.map((c) => c.values[r] ?? null),
      () => `row ${r + 1}`,
    );
  return s.finish(options);
}

/** The error `f` throws (its message), or a failure when it throws none. */
function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('streamed preprocessing statistics (train --stream)', () => {
  const columns = table(5000, 11);
  const overrides = new Map<string, ColumnKind>([['zip', 'categorical']]);
  const variants: PreprocessOptions[] = [
    {},
    { scaling: 'minmax' },
    { scaling: 'none', categoricalMissing: 'category' },
    { numericImpute: 'median' },
  ];
  for (const options of variants) {
    it(`one pass gives fitPreprocessing's schema to 1e-9 (${JSON.stringify(options)})`, () => {
      const expected = fitted(columns, overrides, options);
      const got = streamed(columns, overrides, options);
      expect(got.columns.map((c) => c.kind)).toEqual([
        'numeric',
        'numeric',
        'numeric',
        'boolean',
        'categorical',
        'categorical',
        'categorical',
      ]);
      expectClose(got, expected);
    });
  }

  it('infers kinds online as inferKind does, whatever comes first', () => {
    for (const values of [
      ['1', '2', 'x'],
      ['x', '1'],
      ['true', 'no', ''],
      ['1', '0', 'yes'],
      ['', 'NA'],
      ['1e3', ' 2 '],
    ]) {
      const s = new StreamingPreprocessing(['c']);
      for (const v of values) s.add([v]);
      expect(s.columns[0]!.kind, values.join('|')).toBe(inferKind({ name: 'c', values }));
    }
  });

  it(`decides a kind from the first ${KIND_WINDOW} present values: a later contradiction is the same error in both, never a switch to categorical`, () => {
    const numbers = (n: number) => Array.from({ length: n }, (_, i) => String(i % 7));
    for (const [kind, late] of [
      ['numeric', 'abc'],
      ['numeric', 'Infinity'],
      ['numeric', '-Infinity'],
      ['numeric', '1e999'],
      ['boolean', 'maybe'],
    ] as const) {
      const first =
        kind === 'numeric' ? numbers(KIND_WINDOW + 10) : Array.from({ length: KIND_WINDOW + 10 }, (_, i) => (i % 2 ? 'yes' : 'no'));
      const values = [...first.slice(0, KIND_WINDOW + 5), '', late, ...first.slice(KIND_WINDOW + 5)];
      const columns: TextColumn[] = [{ name: 'c', values }];
      // A number beyond float32 is refused as such (it is no category either).
      const what = kind === 'numeric' ? (late === 'abc' ? 'number' : 'finite float32 number') : 'boolean';
      const expected = `row ${KIND_WINDOW + 7}, column "c": "${late}" is not a ${what} (the column is ${kind})`;
      expect(inferKind(columns[0]!), late).toBe(kind);
      expect(
        thrown(() => fitted(columns, new Map(), {})),
        late,
      ).toBe(expected);
      expect(
        thrown(() => streamed(columns, new Map(), {})),
        late,
      ).toBe(expected);
      // Declared categorical, the same values are categories.
      expect(streamed(columns, new Map([['c', 'categorical']]), {}).columns[0]!.kind).toBe('categorical');
    }
  });

  it('refuses an infinite number among the first values of a numeric column in both, at its row; NaN is a missing value in both', () => {
    for (const bad of ['Infinity', '-Infinity', '1e999']) {
      const columns: TextColumn[] = [{ name: 'x', values: ['1', '2', bad, '4'] }];
      const expected = `row 3, column "x": "${bad}" is not a finite float32 number (the column is numeric)`;
      expect(inferKind(columns[0]!)).toBe('numeric');
      expect(thrown(() => fitted(columns, new Map(), {}))).toBe(expected);
      expect(thrown(() => streamed(columns, new Map(), {}))).toBe(expected);
    }
    // Text besides the infinity: categorical in both, the infinity one of the categories.
    const mixed: TextColumn[] = [{ name: 'x', values: ['1', 'Infinity', 'abc'] }];
    expectClose(streamed(mixed, new Map(), {}), fitted(mixed, new Map(), {}));
    const nan: TextColumn[] = [{ name: 'x', values: ['1', 'NaN', '3', 'nan'] }];
    expect(streamed(nan, new Map(), {})).toEqual(fitted(nan, new Map(), {}));
    expect(streamed(nan, new Map(), {}).columns[0]).toMatchObject({ kind: 'numeric', impute: 2 });
  });

  it('counts a held-out row towards the kind, never towards the statistics, and checks it once the kind is decided', () => {
    const s = new StreamingPreprocessing(['x']);
    for (let r = 0; r < KIND_WINDOW - 1; r++) s.add([String(r)]);
    for (const v of ['', null, '1e6']) s.addHeldOut([v], () => 'row 1'); // missing, missing, the window's last value: decided numeric
    expect(s.columns[0]!.kind).toBe('numeric');
    expect(s.columns[0]!.present).toBe(KIND_WINDOW - 1);
    expect(thrown(() => s.addHeldOut(['abc'], () => 'row 9'))).toBe('row 9, column "x": "abc" is not a number (the column is numeric)');
    expect(s.finish({ scaling: 'minmax' }).columns[0]).toMatchObject({ center: 0, scale: KIND_WINDOW - 2 });
    const t = new StreamingPreprocessing(['x']);
    t.add(['1']);
    t.addHeldOut(['abc']);
    t.add(['2']);
    expect(t.finish().columns[0]).toMatchObject({ kind: 'categorical', vocabulary: ['1', '2'] });
    const hinted = new StreamingPreprocessing(['x'], { kindWindow: 2, contradictionHint: (c) => `; declare ${c} categorical` });
    hinted.add(['1']);
    hinted.add(['2']);
    expect(thrown(() => hinted.add(['z'], () => 'row 3'))).toBe(
      'row 3, column "x": "z" is not a number (the column is numeric); declare x categorical',
    );
  });

  it('kinds from an override need no window', () => {
    for (const values of [['1', '2', 'x']]) {
      const s = new StreamingPreprocessing(['c'], { overrides: new Map([['c', 'categorical']]) });
      for (const v of values) s.add([v]);
      expect(s.columns[0]!.kind, values.join('|')).toBe(inferKind({ name: 'c', values }, 'categorical'));
    }
  });

  it('refuses the median without keepValues (it needs every value), and a column with no values', () => {
    const s = new StreamingPreprocessing(['a']);
    s.add(['1']);
    expect(() => s.finish({ numericImpute: 'median' })).toThrow(InvalidArgumentError);
    const empty = new StreamingPreprocessing(['a']);
    empty.add(['']);
    expect(() => empty.finish()).toThrow(DataError);
  });
});
