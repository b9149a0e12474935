import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '@onnx-mlp/core';
import { computeDigests, readExportedFrom, readIntegrity } from '@onnx-mlp/core/artifacts';
import { META } from '@onnx-mlp/core/internal';
import { runCli, type CliResult } from './helpers/run-cli.js';
import { expectOneErrorLine } from './helpers/cli-expect.js';
import { withWeightByteFlipped } from './helpers/tampered-model.js';
import { syntheticRecords, toCsv } from './helpers/tabular-models.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';

// `onnx-mlp export MODEL --missing mask --out FILE`: the trained model with a `missing` mask input.

const MNIST_MODEL = fileURLToPath(new URL('../models/mnist-mlp.onnx', import.meta.url));
const TRAIN = ['train', '--data', 'data.csv', '--label', 'species', '--exclude', 'id,note,approved,price'];
const SMALL = ['--epochs', '2', '--hidden', '8', '--seed', '5', '--quiet'];

describe('onnx-mlp export --missing mask', () => {
  let dir: string;
  let exported: CliResult;
  const path = (name: string) => join(dir, name);
  const cli = (args: readonly string[]) => runCli(args, { cwd: dir, timeoutMs: 120_000 });

  beforeAll(async () => {
    dir = await makeTempDir('onnx-mlp-export-');
    await writeFile(path('data.csv'), toCsv(syntheticRecords(240)));
    expect((await cli(['keygen', '--out', 'alice'])).code).toBe(0);
    const trained = await cli([...TRAIN, ...SMALL, '--sign-key', 'alice.pem', '--out', 'model.onnx']);
    expect(trained.code, trained.stderr).toBe(0);
    exported = await cli(['export', 'model.onnx', '--missing', 'mask', '--out', 'mask.onnx']);
  }, 240_000);
  afterAll(() => removeDir(dir));

  it('writes the model with a `missing` input, sealed anew, naming its source digest; verify passes', async () => {
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toBe('');
    const source = decodeModel(await readFile(path('model.onnx')));
    const model = decodeModel(await readFile(path('mask.onnx')));
    const digest = readIntegrity(model)!.digest;
    expect(exported.stdout).toBe(
      `wrote mask.onnx: the multiclass model of model.onnx with missing cells as input "missing" (1 = missing, 0 = present); sha256 ${digest}, unsigned\n`,
    );
    expect(model.graph.inputs.map((v) => v.name)).toEqual(['input', 'missing']);
    expect(readExportedFrom(model)).toEqual({
      digest: readIntegrity(source)!.digest,
      signedBy: JSON.parse(source.metadata.get(META.signature)!).publicKey,
    });
    expect(model.metadata.has(META.signature)).toBe(false);
    expect(model.metadata.get(META.card)).toBe(source.metadata.get(META.card));
    const verified = await cli(['verify', 'mask.onnx']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toBe(`mask.onnx: verified (sha256 ${digest})\n`);
    // Unsigned: the source's signature covered the source's digest, not this one.
    expectOneErrorLine(await cli(['verify', 'mask.onnx', '--pubkey', 'alice.pub']), /^onnx-mlp: mask\.onnx: has no signature to check/);
  });

  it('a flipped weight byte in the export fails verify, and predict refuses it', async () => {
    const model = decodeModel(await readFile(path('mask.onnx')));
    await writeFile(path('flipped.onnx'), encodeModel(withWeightByteFlipped(model)));
    expectOneErrorLine(await cli(['verify', 'flipped.onnx']), /^onnx-mlp: flipped\.onnx: its weights changed since it was sealed/);
    expectOneErrorLine(await cli(['predict', 'flipped.onnx', '--data', 'data.csv']), /^onnx-mlp: flipped\.onnx: its weights changed/);
  });

  it('refuses to export a source that fails its own digest (it would be sealed anew)', async () => {
    const source = decodeModel(await readFile(path('model.onnx')));
    await writeFile(path('tampered.onnx'), encodeModel(withWeightByteFlipped(source)));
    expectOneErrorLine(
      await cli(['export', 'tampered.onnx', '--missing', 'mask', '--out', 'x.onnx']),
      /^onnx-mlp: tampered\.onnx: its weights changed since it was sealed \(integrity digest mismatch\); refusing to export it \(onnx-mlp verify tampered\.onnx for details\)$/,
    );
    expect(existsSync(path('x.onnx'))).toBe(false);
  });

  it('--sign-key signs the export: verify --pubkey passes', async () => {
    const signed = await cli(['export', 'model.onnx', '--missing', 'mask', '--out', 'signed.onnx', '--sign-key', 'alice.pem']);
    expect(signed.code, signed.stderr).toBe(0);
    const digest = /; sha256 ([0-9a-f]{64}), signed with alice\.pem\n$/.exec(signed.stdout)?.[1];
    expect(digest, signed.stdout).toBeDefined();
    const verified = await cli(['verify', 'signed.onnx', '--pubkey', 'alice.pub']);
    expect(verified.code, verified.stderr).toBe(0);
    // The digest export printed is the one verify checks, and the signer is alice's key.
    expect(verified.stdout).toMatch(
      new RegExp(`^signed\\.onnx: verified \\(sha256 ${digest}\\); signed by sha256:[0-9a-f]{64} \\(alice\\.pub\\)`),
    );
  });

  it('refuses a model without preprocessing in one line, writing nothing', async () => {
    const run = await cli(['export', MNIST_MODEL, '--missing', 'mask', '--out', 'mnist.onnx']);
    expectOneErrorLine(run, /^onnx-mlp: .*mnist-mlp\.onnx has no preprocessing .*: it already loads in OpenCV 4\.6 as it is$/);
    expect(existsSync(path('mnist.onnx'))).toBe(false);
  });

  it('--out that exists: refused without --force (file untouched), replaced with it', async () => {
    await writeFile(path('taken.onnx'), 'keep me');
    expectOneErrorLine(
      await cli(['export', 'model.onnx', '--missing', 'mask', '--out', 'taken.onnx']),
      /^onnx-mlp: --out taken\.onnx: file exists; add --force to replace it$/,
    );
    expect(await readFile(path('taken.onnx'), 'utf8')).toBe('keep me');
    const forced = await cli(['export', 'model.onnx', '--missing', 'mask', '--out', 'taken.onnx', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await readFile(path('taken.onnx'))).toEqual(await readFile(path('mask.onnx')));
  });

  it('refuses --missing nan, an export of an export and the model itself as --out, each in one line', async () => {
    expectOneErrorLine(
      await cli(['export', 'model.onnx', '--missing', 'nan', '--out', 'n.onnx']),
      /^onnx-mlp: --missing nan: is the form onnx-mlp train writes \(NaN in "input"\): use the trained model as it is$/,
    );
    expectOneErrorLine(
      await cli(['export', 'mask.onnx', '--missing', 'mask', '--out', 'twice.onnx']),
      /^onnx-mlp: mask\.onnx already takes missing cells as a mask/,
    );
    const source = await readFile(path('model.onnx'));
    expectOneErrorLine(
      await cli(['export', 'model.onnx', '--missing', 'mask', '--out', 'model.onnx', '--force']),
      /^onnx-mlp: --out model\.onnx: is the same file as the input model\.onnx/,
    );
    expect((await readFile(path('model.onnx'))).equals(source)).toBe(true);
    expectOneErrorLine(
      await cli(['export', 'model.onnx', '--missing', 'zero', '--out', 'z.onnx']),
      /^onnx-mlp: --missing must be one of nan, mask \(see onnx-mlp --help\)$/,
      2,
    );
    for (const name of ['n.onnx', 'twice.onnx', 'z.onnx']) expect(existsSync(path(name))).toBe(false);
  });

  it('inspect and card state the missing-input form in one line; predict and evaluate give what the source gives', async () => {
    const inspect = await cli(['inspect', 'mask.onnx']);
    const digest = (await computeDigests(decodeModel(await readFile(path('model.onnx'))))).digest;
    expect(inspect.stdout).toContain(
      `  missing cells  a second input "missing", 1 where a cell is missing (its value in "input" ignored, finite), 0 where present; no NaN; exported from the model with sha256 ${digest}\n`,
    );
    const plain = await cli(['inspect', 'model.onnx']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('  verify ');
    expect(plain.stdout).not.toContain('missing cells');
    const card = await cli(['card', 'mask.onnx']);
    expect(card.stdout.split('\n').filter((l) => l.startsWith('Missing cells are passed as a second input "missing"'))).toHaveLength(1);
    // The data has missing ages, incomes and cities: predict builds the mask from the NaN cells.
    const [a, b] = await Promise.all([
      cli(['predict', 'model.onnx', '--data', 'data.csv']),
      cli(['predict', 'mask.onnx', '--data', 'data.csv']),
    ]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(b.stdout.split('\n').length).toBe(242);
    const [ea, eb] = await Promise.all([
      cli(['evaluate', 'model.onnx', '--data', 'data.csv']),
      cli(['evaluate', 'mask.onnx', '--data', 'data.csv']),
    ]);
    expect(eb.code, eb.stderr).toBe(0);
    expect(eb.stdout.replaceAll('mask.onnx', 'model.onnx')).toBe(ea.stdout);
    expectOneErrorLine(
      await cli(['explain', 'mask.onnx', '--data', 'data.csv']),
      /^onnx-mlp: explain reads a model that takes missing cells as NaN; .*explain the model it was exported from$/,
    );
  });
});
