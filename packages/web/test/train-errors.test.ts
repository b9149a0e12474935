// train (in a worker) and trainInThisThread: events, abort and bad input, as typed WebTrainErrors.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as ortWeb from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint } from '@onnx-mlp/core';
import { train, trainInThisThread, WebTrainError, type OrtModule, type TrainOptions } from '../src/index.js';
import { throttleBatches } from '../src/train/batch-throttle.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/temp-dir.js';
import { nodeWorkerFactory } from './node-worker.js';
import { withoutRunTimes } from '../../../tests/helpers/model-identity.js';

const web = ortWeb as unknown as OrtModule;
const CUSTOMERS = fileURLToPath(new URL('../../../examples/customers.csv', import.meta.url));
const SMALL = { label: 'churn', exclude: ['customer_id'], epochs: 4, hidden: [16] };

let dir: string;
let csv: string;
let worker: Awaited<ReturnType<typeof nodeWorkerFactory>>;

beforeAll(async () => {
  dir = await makeTempDir('onnx-mlp-web-worker-');
  csv = await readFile(CUSTOMERS, 'utf8');
  worker = await nodeWorkerFactory(dir);
});

afterAll(() => removeDir(dir));

async function rejection(promise: Promise<unknown>): Promise<WebTrainError> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(WebTrainError);
  return e as WebTrainError;
}

describe('train: the pipeline in a Web Worker', () => {
  it('forwards every event and transfers back the same model bytes trainInThisThread makes on onnxruntime-web', async () => {
    const seen: { name: string; event: unknown }[] = [];
    const on = (name: string) => (event: unknown) => seen.push({ name, event });
    const options: TrainOptions = {
      ...SMALL,
      data: new File([csv], 'customers.csv'),
      worker: worker.factory,
      onTrainBegin: on('begin'),
      onEpochEnd: on('epoch'),
      onBatchEnd: on('batch'),
      onTrainEnd: on('end'),
      onNotice: on('notice'),
    };
    const result = await train(options);
    const { worker: _, ...direct } = options;
    const reference = await trainInThisThread({
      ...direct,
      data: new File([csv], 'customers.csv'),
      runtime: web,
      onTrainBegin() {},
      onEpochEnd() {},
      onBatchEnd() {},
      onTrainEnd() {},
    });
    // The same model bytes but for the model card's clock facts (creation time, training time).
    expect((await withoutRunTimes(result.model)).equals(await withoutRunTimes(reference.model))).toBe(true);
    // The checkpoint: the same state (its history's `seconds` differ run to run).
    const [ours, theirs] = [decodeCheckpoint(result.checkpoint), decodeCheckpoint(reference.checkpoint)];
    expect([ours.epoch, ours.step, ours.extra]).toEqual([4, 20, theirs.extra]);
    expect([theirs.epoch, theirs.step]).toEqual([4, 20]);
    expect(ours.parameters).toEqual(theirs.parameters);
    expect(ours.optimizerState).toEqual(theirs.optimizerState);
    expect(result.testMetrics).toEqual(reference.testMetrics);
    expect(result.history.map((r) => r.loss)).toEqual(reference.history.map((r) => r.loss));
    const names = seen.map((s) => s.name);
    expect(names[0]).toBe('begin');
    expect(names.at(-1)).toBe('end');
    expect(names.filter((n) => n === 'epoch')).toHaveLength(4);
    // 560 train rows, batches of 128: 5 a epoch; the last batch of every epoch always comes through.
    const batches = seen.filter((s) => s.name === 'batch').map((s) => s.event as { epoch: number; batch: number; batches: number });
    expect(batches.filter((b) => b.batch === b.batches).map((b) => b.epoch)).toEqual([1, 2, 3, 4]);
    expect(batches.every((b) => b.batches === 5)).toBe(true);
    expect(seen.find((s) => s.name === 'end')!.event).toEqual({
      epochs: 4,
      testAccuracy: reference.testMetrics.accuracy,
      testMetrics: reference.testMetrics,
    });
    expect(seen.find((s) => s.name === 'begin')!.event).toEqual({
      rows: { train: 560, val: 80, test: 160 },
      columns: expect.any(Array),
      classes: ['no', 'yes'],
    });
  });

  it('abort terminates the worker and rejects with code aborted, no model', async () => {
    const controller = new AbortController();
    const epochs: number[] = [];
    const e = await rejection(
      train({
        ...SMALL,
        epochs: 200,
        data: csv,
        worker: worker.factory,
        signal: controller.signal,
        onEpochEnd: (r) => {
          epochs.push(r.epoch);
          if (r.epoch === 2) controller.abort();
        },
      }),
    );
    expect(e.code).toBe('aborted');
    expect(epochs.length).toBeLessThan(200);
    // The worker thread was terminated, not left training.
    const thread = worker.started.at(-1)!;
    const exit = await Promise.race([
      new Promise((resolve) => thread.once('exit', resolve)),
      new Promise((resolve) => setTimeout(() => resolve('still running'), 5000)),
    ]);
    expect(exit).toBe(1);
  });

  it('errors in the worker come back as WebTrainErrors with their code and message', async () => {
    const e = await rejection(train({ ...SMALL, label: 'nope', data: csv, worker: worker.factory }));
    expect(e.code).toBe('bad-option');
    expect(e.message).toMatch(/^label = "nope": not a column of data; the columns are "customer_id", "age"/);
  });
});

describe('trainInThisThread: abort and bad input', () => {
  it('an AbortSignal fired during training rejects with code aborted; one aborted before starts nothing', async () => {
    const controller = new AbortController();
    const e = await rejection(
      trainInThisThread({
        ...SMALL,
        epochs: 50,
        data: csv,
        runtime: web,
        signal: controller.signal,
        onEpochEnd: (r) => {
          if (r.epoch === 1) controller.abort();
        },
      }),
    );
    expect(e).toMatchObject({ code: 'aborted', message: 'training was cancelled (AbortSignal); no model was made' });
    expect((await rejection(trainInThisThread({ ...SMALL, data: csv, runtime: web, signal: AbortSignal.abort() }))).code).toBe('aborted');
  });

  it('a CSV with a bad row or cell: code bad-data, the message names the line and column, like the CLI', async () => {
    const ragged = csv.split('\n');
    ragged[7] = 'c0007,41,12.5,basic';
    const e = await rejection(trainInThisThread({ ...SMALL, data: new File([ragged.join('\n')], 'customers.csv'), runtime: web }));
    expect(e.code).toBe('bad-data');
    expect(e.message).toBe('customers.csv, line 8: expected 8 columns (as in the header), found 4');
    const noLabel = csv.split('\n');
    noLabel[7] = noLabel[7]!.replace(/,(yes|no)$/, ',');
    const cell = await rejection(trainInThisThread({ ...SMALL, data: new File([noLabel.join('\n')], 'customers.csv'), runtime: web }));
    expect(cell.code).toBe('bad-data');
    // Missing labels are counted and refused together, the first one named (dropMissingLabel leaves them out).
    expect(cell.message).toMatch(/^customers\.csv: label column "churn" is missing in 1 row \(the first: customers\.csv, line 8\)/);
  });

  it('a label column with one class, an unknown column, bad options: typed errors naming them', async () => {
    const one = await rejection(
      trainInThisThread({ epochs: 1, data: 'a,y\n1,k\n2,k\n3,k\n4,k\n5,k\n6,k\n7,k\n8,k\n9,k\n10,k\n', label: 'y', runtime: web }),
    );
    expect(one).toMatchObject({
      code: 'bad-data',
      message: 'data: label column "y" has a single class ("k"): a classifier needs at least two',
    });
    expect((await rejection(trainInThisThread({ ...SMALL, data: csv, exclude: ['nope'], runtime: web }))).message).toMatch(
      /^exclude = \["nope"\]: "nope" is not a column of data/,
    );
    expect((await rejection(trainInThisThread({ ...SMALL, data: csv, epochs: 0, runtime: web }))).message).toBe(
      'epochs = 0: must be an integer in [1, 9007199254740991]',
    );
    expect((await rejection(trainInThisThread({ ...SMALL, data: csv, optimizer: 'rmsprop' as 'adam', runtime: web }))).code).toBe(
      'bad-option',
    );
    expect((await rejection(trainInThisThread({ ...SMALL, data: csv, classWeights: { no: 1, maybe: 2 }, runtime: web }))).message).toBe(
      'classWeights = {"no":1,"maybe":2}: "maybe" is not a class; the classes are "no", "yes"',
    );
  });

  it('batch events: at most one per 100 ms, and the last batch of every epoch', () => {
    let now = 0;
    const sent: number[] = [];
    const send = throttleBatches(
      (e) => sent.push(e.batch),
      100,
      () => now,
    );
    for (let batch = 1; batch <= 10; batch++) {
      now += 30;
      send({ epoch: 1, batch, batches: 10, loss: 1 });
    }
    // t = 30 (first), 150, 270 pass the 100 ms gate; batch 10 (t = 300) is the epoch's last.
    expect(sent).toEqual([1, 5, 9, 10]);
  });
});
