import { expect, it } from 'vitest';
import { DataError } from '@onnx-mlp/core';
import { columnValues, encodeLabels, inferKind } from '@onnx-mlp/core/preprocess';

const at = (row: number) => `data.csv, line ${row + 2}`;

it('infers numeric, boolean and categorical columns, with missing values ignored and overrides winning', () => {
  expect(inferKind({ name: 'age', values: ['31', ' 4.5 ', 'NA', '', '-2e3'] })).toBe('numeric');
  expect(inferKind({ name: 'member', values: ['yes', 'No', null, 'TRUE'] })).toBe('boolean');
  expect(inferKind({ name: 'city', values: ['oslo', '12', 'rome'] })).toBe('categorical');
  expect(inferKind({ name: 'zip', values: ['75001', '0150'] }, 'categorical')).toBe('categorical');
  expect(inferKind({ name: 'empty', values: ['', 'NA'] })).toBe('categorical');
});

it('converts columns to typed values, naming the row and column of a bad cell', () => {
  const v = columnValues({ name: 'age', values: ['31', 'NA', '2'] }, 'numeric', at);
  expect(Array.from(v.values as ArrayLike<number>)).toEqual([31, NaN, 2]);
  expect(() => columnValues({ name: 'age', values: ['31', 'old'] }, 'numeric', at)).toThrow(
    'data.csv, line 3, column "age": "old" is not a number (the column is numeric)',
  );
  expect(columnValues({ name: 'm', values: ['yes', 'no', ''] }, 'boolean', at).values).toEqual([1, 0, NaN]);
  expect(columnValues({ name: 'c', values: [' a', 'NA'] }, 'categorical', at).values).toEqual(['a', null]);
});

it('encodes labels: string classes sorted, numbers sorted numerically, auto task', () => {
  const s = encodeLabels({ name: 'species', values: ['setosa', 'virginica', 'setosa', 'versicolor'] }, 'auto', at);
  expect(s).toMatchObject({ task: 'multiclass', classNames: ['setosa', 'versicolor', 'virginica'] });
  expect(Array.from(s.targets)).toEqual([0, 2, 0, 1]);
  const n = encodeLabels({ name: 'y', values: ['10', '9', '10'] }, 'auto', at);
  expect(n).toMatchObject({ task: 'binary', classNames: ['9', '10'] });
  expect(Array.from(n.targets)).toEqual([1, 0, 1]);
  const r = encodeLabels({ name: 'price', values: ['1.5', '2', '3.25'] }, 'auto', at);
  expect(r.task).toBe('regression');
  expect(Array.from(r.targets)).toEqual([1.5, 2, 3.25]);
});

it('refuses a single-class label, an empty label and a non-numeric regression target', () => {
  expect(() => encodeLabels({ name: 'y', values: ['a', 'a'] }, 'auto', at)).toThrow(/single class \("a"\)/);
  expect(() => encodeLabels({ name: 'y', values: ['a', ''] }, 'auto', at)).toThrow(DataError);
  expect(() => encodeLabels({ name: 'y', values: ['a', ''] }, 'auto', at)).toThrow(
    'label column "y" is missing in 1 row (the first: data.csv, line 3): fill them in or leave those rows out',
  );
  expect(() => encodeLabels({ name: 'y', values: ['1', 'x'] }, 'regression', at)).toThrow(/line 3, label column "y": "x" is not a number/);
  expect(() => encodeLabels({ name: 'y', values: ['a', 'b', 'c'] }, 'binary', at)).toThrow(/has 3 classes/);
});
