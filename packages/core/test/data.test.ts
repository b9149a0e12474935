import { describe, expect, it } from 'vitest';
import { DataError, type Dataset, InvalidArgumentError, mlpSpec, stratifiedSplit, trainTestSplit } from '@onnx-mlp/core';
import { Rng } from '@onnx-mlp/core/model';
import { checkDataset, datasetFromRows } from '@onnx-mlp/core/training';

function dataErrorOf(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError, nothing was thrown');
}

describe('checkDataset names the first problem precisely', () => {
  const spec10 = mlpSpec({ inputs: 4, hidden: [8], outputs: 10 });
  const rows = (n: number, cols = 4) => Array.from({ length: n }, (_, i) => Array.from({ length: cols }, (_, j) => i + j / 10));

  it('accepts a well-formed dataset (labels 0..9 at the edges of the range)', () => {
    expect(() => checkDataset(spec10, datasetFromRows(rows(10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 'training data')).not.toThrow();
  });

  it('a width mismatch names both widths', () => {
    const e = dataErrorOf(() => checkDataset(spec10, datasetFromRows(rows(3, 3), [0, 1, 2]), 'train.csv'));
    expect(e.message).toMatch(/train\.csv/);
    expect(e.message).toMatch(/\b3 feature columns\b/);
    expect(e.message).toMatch(/expects 4\b/);
  });

  it('label 10 for a 10-class model names the row (1-based) and the range 0..9', () => {
    const labels = [0, 1, 2, 3, 4, 10, 6];
    const e = dataErrorOf(() => checkDataset(spec10, datasetFromRows(rows(7), labels), 'training data'));
    expect(e.message).toMatch(/\brow 6\b/);
    expect(e.message).toMatch(/\blabel 10\b/);
    expect(e.message).toContain('0..9');
  });

  it('negative and fractional labels are rejected too', () => {
    expect(dataErrorOf(() => checkDataset(spec10, datasetFromRows(rows(2), [1, -1]), 'd')).message).toMatch(/row 2.*label -1/);
    expect(dataErrorOf(() => checkDataset(spec10, datasetFromRows(rows(3), [1, 2, 2.5]), 'd')).message).toMatch(/row 3.*label 2\.5/);
  });

  it('NaN and Infinity features name the row and the column (both 1-based)', () => {
    const r = rows(5);
    r[3]![2] = NaN;
    const e = dataErrorOf(() => checkDataset(spec10, datasetFromRows(r, [0, 1, 2, 3, 4]), 'training data'));
    expect(e.message).toMatch(/\brow 4\b/);
    expect(e.message).toMatch(/\bfeature 3\b/);
    expect(e.message).toContain('NaN');
    const s = rows(2);
    s[0]![0] = -Infinity;
    expect(dataErrorOf(() => checkDataset(spec10, datasetFromRows(s, [0, 1]), 'd')).message).toMatch(/row 1, feature 1 is -Infinity/);
  });

  it('binary targets outside [0, 1] and regression target counts', () => {
    const binary = mlpSpec({ inputs: 4, outputs: 1, task: 'binary' });
    expect(dataErrorOf(() => checkDataset(binary, datasetFromRows(rows(3), [0, 1, 2]), 'd')).message).toMatch(/row 3 has target 2/);
    const regression = mlpSpec({ inputs: 4, outputs: 2, task: 'regression' });
    const e = dataErrorOf(() => checkDataset(regression, datasetFromRows(rows(3), [1, 2, 3, 4, 5]), 'd'));
    expect(e.message).toMatch(/5 target values for 3 rows; expected 2 per row/);
    const nan = dataErrorOf(() => checkDataset(regression, datasetFromRows(rows(2), [1, 2, NaN, 4]), 'd'));
    expect(nan.message).toMatch(/row 2 has target NaN/);
  });

  it('an empty dataset and ragged rows', () => {
    expect(dataErrorOf(() => checkDataset(spec10, datasetFromRows([], []), 'empty.csv')).message).toMatch(/empty\.csv has no rows/);
    expect(
      dataErrorOf(() =>
        datasetFromRows(
          [
            [1, 2, 3],
            [1, 2],
          ],
          [0, 1],
        ),
      ).message,
    ).toMatch(/row 2 has 2 features, row 1 has 3/);
  });
});

describe('stratifiedSplit', () => {
  // 101 rows of 3 classes (53, 31, 17), interleaved; feature 0 holds the row's own index.
  const counts = [53, 31, 17];
  const labels: number[] = [];
  for (let i = 0; labels.length < 101; i++) for (let c = 0; c < 3; c++) if (i < counts[c]!) labels.push(c);
  const data: Dataset = datasetFromRows(
    labels.map((y, i) => [i, y * 10, Math.sin(i)]),
    labels,
  );
  const ids = (d: Dataset) => Array.from({ length: d.rows }, (_, r) => d.features[r * d.cols]!);
  const perClass = (d: Dataset) => [0, 1, 2].map((c) => Array.from(d.targets).filter((y) => y === c).length);

  it('sizes are exact and each class keeps its share within 1 row', () => {
    const [train, test] = stratifiedSplit(data, 80, 42);
    expect(train.rows).toBe(80);
    expect(test.rows).toBe(21);
    const trainCounts = perClass(train);
    const testCounts = perClass(test);
    counts.forEach((n, c) => {
      expect(Math.abs(trainCounts[c]! - (n * 80) / 101), `class ${c} in train`).toBeLessThanOrEqual(1);
      expect(Math.abs(testCounts[c]! - (n * 21) / 101), `class ${c} in test`).toBeLessThanOrEqual(1);
      expect(trainCounts[c]! + testCounts[c]!).toBe(n);
    });
    // Largest remainder: exact quotas 41.98, 24.55, 13.47 round to 42, 25, 13.
    expect(trainCounts).toEqual([42, 25, 13]);
  });

  it('the parts are disjoint, cover every row, and keep each row with its own label', () => {
    const [train, test] = stratifiedSplit(data, 80, 42);
    const all = [...ids(train), ...ids(test)];
    expect(new Set(all).size).toBe(101);
    expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: 101 }, (_, i) => i));
    for (const d of [train, test]) {
      for (let r = 0; r < d.rows; r++) {
        expect(d.targets[r]).toBe(labels[d.features[r * d.cols]!]);
        expect(d.features[r * d.cols + 1]).toBe(d.targets[r]! * 10);
      }
    }
  });

  it('is deterministic for a seed and different for another seed', () => {
    const [a] = stratifiedSplit(data, 80, 7);
    const [b] = stratifiedSplit(data, 80, 7);
    const [c] = stratifiedSplit(data, 80, 8);
    expect(ids(a)).toEqual(ids(b));
    expect(Array.from(a.features)).toEqual(Array.from(b.features));
    expect(new Set(ids(c))).not.toEqual(new Set(ids(a)));
  });

  it('edge sizes: trainRows 1 and rows - 1 split; 0, rows, beyond rows and fractions throw InvalidArgumentError naming trainRows', () => {
    expect(stratifiedSplit(data, 1, 1).map((d) => d.rows)).toEqual([1, 100]);
    expect(stratifiedSplit(data, 100, 1).map((d) => d.rows)).toEqual([100, 1]);
    expect(trainTestSplit(data, 1, 1).map((d) => d.rows)).toEqual([1, 100]);
    expect(trainTestSplit(data, 100, 1).map((d) => d.rows)).toEqual([100, 1]);
    for (const split of [stratifiedSplit, trainTestSplit]) {
      for (const trainRows of [0, 101, 102, -1, 50.5]) {
        let err: unknown;
        try {
          split(data, trainRows, 1);
        } catch (e) {
          err = e;
        }
        expect(err, `${split.name}(data, ${trainRows})`).toBeInstanceOf(InvalidArgumentError);
        const e = err as InvalidArgumentError;
        expect(e.field).toBe('trainRows');
        expect(e.value).toBe(trainRows);
        expect(e.message).toContain('between 1 and 100');
      }
    }
  });
});

describe('Rng', () => {
  it('is xoshiro128**: from state [1, 2, 3, 4] the reference stream starts 11520, 0, 5927040, ...', () => {
    // Independent reference: the C code of xoshiro128** (Blackman & Vigna), in BigInt.
    const M = 0xffffffffn;
    const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M;
    const s = [1n, 2n, 3n, 4n];
    const next = () => {
      const result = (rotl((s[1]! * 5n) & M, 7n) * 9n) & M;
      const t = (s[1]! << 9n) & M;
      s[2]! ^= s[0]!;
      s[3]! ^= s[1]!;
      s[1]! ^= s[2]!;
      s[0]! ^= s[3]!;
      s[2]! ^= t;
      s[3] = rotl(s[3]!, 11n);
      return Number(result);
    };
    const ref = Array.from({ length: 50 }, next);
    expect(ref.slice(0, 3)).toEqual([11520, 0, 5927040]);
    const rng = new Rng([1, 2, 3, 4]);
    expect(Array.from({ length: 50 }, () => rng.nextUint32())).toEqual(ref);
  });

  it('the same seed gives the same stream, another seed a different one', () => {
    const a = new Rng(123);
    const b = new Rng(123);
    const c = new Rng(124);
    const sa = Array.from({ length: 100 }, () => a.uniform());
    expect(Array.from({ length: 100 }, () => b.uniform())).toEqual(sa);
    const sc = Array.from({ length: 100 }, () => c.uniform());
    expect(sc.filter((v, i) => v === sa[i]).length).toBe(0);
    expect(sa.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it('restoring state() continues the stream identically', () => {
    const a = new Rng(9);
    for (let i = 0; i < 37; i++) a.normal();
    const saved = a.state();
    const rest = Array.from({ length: 64 }, () => a.nextUint32());
    const b = new Rng(saved);
    expect(Array.from({ length: 64 }, () => b.nextUint32())).toEqual(rest);
    // state() is a copy: advancing the generator does not change a saved state.
    expect(new Rng(saved).nextUint32()).toBe(rest[0]);
  });

  it('permutation(n) is a permutation of 0..n-1, and shuffles', () => {
    const rng = new Rng(5);
    for (const n of [0, 1, 2, 10, 1000]) {
      const p = rng.permutation(n);
      expect(p.length).toBe(n);
      expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
    }
    const p = new Rng(5).permutation(1000);
    expect(Array.from(p).filter((v, i) => v === i).length).toBeLessThan(10); // ~1 fixed point expected
  });

  it('int(n) is uniform over [0, n): 60,000 draws of int(6), each face within 4 % of 10,000', () => {
    const rng = new Rng(77);
    const faces = new Array<number>(6).fill(0);
    for (let i = 0; i < 60000; i++) faces[rng.int(6)]!++;
    for (const f of faces) expect(Math.abs(f - 10000)).toBeLessThan(400);
  });

  it('normal() has mean ~0 and variance ~1 (20,000 draws)', () => {
    const rng = new Rng(3);
    const xs = Array.from({ length: 20000 }, () => rng.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
  });
});
