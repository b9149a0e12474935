import { readFile, stat, writeFile } from 'node:fs/promises';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, type Model } from '@onnx-mlp/core';
import { computeDigests, readIntegrity } from '@onnx-mlp/core/artifacts';
import type { Attribute, Node } from '@onnx-mlp/core/ir';
import { META } from '@onnx-mlp/core/internal';
import { runCli } from './helpers/run-cli.js';
import { expectOneErrorLine } from './helpers/cli-expect.js';
import { withWeightByteFlipped } from './helpers/tampered-model.js';
import { syntheticRecords, toCsv } from './helpers/tabular-models.js';
import { makeTempDir, removeDir } from './helpers/temp-dir.js';
import { withoutRunTimes } from './helpers/model-identity.js';

const MNIST_MODEL = fileURLToPath(new URL('../models/mnist-mlp.onnx', import.meta.url));
const TRAIN = ['train', '--data', 'data.csv', '--label', 'species', '--exclude', 'id,note,approved,price'];
const SMALL = ['--epochs', '2', '--hidden', '8', '--seed', '5', '--quiet'];

/** `model` with the first ArgMax's `axis` attribute changed (1 -> -1: the same axis, another graph). */
function withAttributeChanged(model: Model): Model {
  const nodes = model.graph.nodes.map((n): Node => {
    if (n.opType !== 'ArgMax') return n;
    const axis = n.attributes.axis as Extract<Attribute, { kind: 'int' }>;
    return { ...n, attributes: { ...n.attributes, axis: { kind: 'int', value: axis.value === 1 ? -1 : 1 } } };
  });
  return { ...model, graph: { ...model.graph, nodes } };
}

/** `model` with the vocabulary entry "rome" of its preprocessing renamed "roma". */
function withVocabularyEdited(model: Model): Model {
  const text = model.metadata.get(META.preprocessing)!;
  expect(text).toContain('"rome"');
  return { ...model, metadata: new Map([...model.metadata, [META.preprocessing, text.replace('"rome"', '"roma"')]]) };
}

describe('onnx-mlp verify, keygen, train --sign-key and the integrity check of predict/evaluate', () => {
  let dir: string;
  let model: Model;
  const path = (name: string) => join(dir, name);
  const cli = (args: readonly string[]) => runCli(args, { cwd: dir, timeoutMs: 120_000 });
  const writeModel = (name: string, m: Model) => writeFile(path(name), encodeModel(m));

  beforeAll(async () => {
    dir = await makeTempDir('onnx-mlp-verify-');
    await writeFile(path('data.csv'), toCsv(syntheticRecords(240)));
    expect((await cli(['keygen', '--out', 'alice'])).code).toBe(0);
    expect((await cli(['keygen', '--out', 'bob'])).code).toBe(0);
    const trained = await cli([...TRAIN, ...SMALL, '--sign-key', 'alice.pem', '--out', 'model.onnx']);
    expect(trained.code, trained.stderr).toBe(0);
    model = decodeModel(await readFile(path('model.onnx')));
    await Promise.all([
      writeModel('weight.onnx', withWeightByteFlipped(model)),
      writeModel('attribute.onnx', withAttributeChanged(model)),
      writeModel('vocabulary.onnx', withVocabularyEdited(model)),
    ]);
  }, 240_000);
  afterAll(() => removeDir(dir));

  it('keygen writes an Ed25519 PKCS#8 private key (mode 0600) and SPKI public key, and refuses to overwrite without --force', async () => {
    const [pem, pub] = await Promise.all([readFile(path('alice.pem'), 'utf8'), readFile(path('alice.pub'), 'utf8')]);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/);
    expect(pub).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    expect(createPrivateKey(pem).asymmetricKeyType).toBe('ed25519');
    expect(createPublicKey(pub).asymmetricKeyType).toBe('ed25519');
    expect((await stat(path('alice.pem'))).mode & 0o777).toBe(0o600);
    expectOneErrorLine(await cli(['keygen', '--out', 'alice']), /alice\.pem.*exists.*--force/);
    expect(await readFile(path('alice.pem'), 'utf8')).toBe(pem);
    const forced = await cli(['keygen', '--out', 'alice', '--force']);
    expect(forced.code).toBe(0);
    expect(await readFile(path('alice.pem'), 'utf8')).not.toBe(pem);
    // Put alice's first key back for the signature tests below.
    await writeFile(path('alice.pem'), pem);
    await writeFile(path('alice.pub'), pub);
  });

  it('verify: a freshly trained model is verified, and its digest is stable across runs and an encode/decode round trip', async () => {
    const run = await cli(['verify', 'model.onnx']);
    expect(run.code, run.stderr).toBe(0);
    const digest = /^model\.onnx: verified \(sha256 ([0-9a-f]{64})\)\n$/.exec(run.stdout)?.[1];
    expect(digest).toBeDefined();
    // The signature is not part of the digest: the model without it has the same digest.
    await writeModel('unsigned.onnx', { ...model, metadata: new Map([...model.metadata].filter(([k]) => k !== META.signature)) });
    expect((await cli(['verify', 'unsigned.onnx'])).stdout).toContain(digest);
    const again = await cli([...TRAIN, ...SMALL, '--out', 'again.onnx']);
    expect(again.code, again.stderr).toBe(0);
    // Retrained (unsigned this time): the same digest once the model card's clock facts (creation
    // time, training time) are set equal; graph and weights digests equal as they are.
    const again1 = decodeModel(await readFile(path('again.onnx')));
    const [d1, d2] = await Promise.all([model, again1].map((m) => computeDigests(m)));
    expect([d2!.graph, d2!.weights]).toEqual([d1!.graph, d1!.weights]);
    const [t1, t2] = await Promise.all(
      ['model.onnx', 'again.onnx'].map(async (f) => readIntegrity(decodeModel(await withoutRunTimes(await readFile(path(f)))))!.digest),
    );
    expect(t2).toBe(t1);
    await writeModel('roundtrip.onnx', decodeModel(encodeModel(model)));
    expect((await cli(['verify', 'roundtrip.onnx'])).stdout).toContain(digest);
    // The shipped model (npm run models) is sealed too.
    expect((await cli(['verify', MNIST_MODEL])).stdout).toMatch(/mnist-mlp\.onnx: verified \(sha256 [0-9a-f]{64}\)\n$/);
  }, 120_000);

  it('verify names what changed: one weight byte, one node attribute, one vocabulary entry', async () => {
    expectOneErrorLine(await cli(['verify', 'weight.onnx']), /^onnx-mlp: weight\.onnx: its weights changed since it was sealed/);
    expectOneErrorLine(await cli(['verify', 'attribute.onnx']), /^onnx-mlp: attribute\.onnx: its graph changed since it was sealed/);
    expectOneErrorLine(await cli(['verify', 'vocabulary.onnx']), /^onnx-mlp: vocabulary\.onnx: its metadata changed since it was sealed/);
    const json = await cli(['verify', 'vocabulary.onnx', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ verified: false, status: 'mismatch', differs: ['metadata'] });
  });

  it('predict and evaluate refuse a tampered model in one line; --no-verify runs it', async () => {
    for (const name of ['weight.onnx', 'attribute.onnx', 'vocabulary.onnx']) {
      expectOneErrorLine(
        await cli(['predict', name, '--data', 'data.csv']),
        new RegExp(`^onnx-mlp: ${name}: its \\w+ changed.*--no-verify`),
      );
    }
    expectOneErrorLine(await cli(['evaluate', 'weight.onnx', '--data', 'data.csv']), /^onnx-mlp: weight\.onnx: its weights changed/);
    const forced = await cli(['predict', 'vocabulary.onnx', '--data', 'data.csv', '--no-verify']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout.trimEnd().split('\n')).toHaveLength(241);
    const intact = await cli(['predict', 'model.onnx', '--data', 'data.csv']);
    expect(intact.code, intact.stderr).toBe(0);
    // What the refusal prevents: the renamed category silently changes the predictions of the "rome" rows.
    const [a, b] = [forced.stdout.split('\n'), intact.stdout.split('\n')];
    const changed = a.filter((line, i) => line !== b[i]).length;
    expect(changed).toBeGreaterThan(10);
    expect(changed).toBeLessThan(240);
  }, 120_000);

  it('a signature verifies with its key, fails with another, and is missing from an unsigned model', async () => {
    const ok = await cli(['verify', 'model.onnx', '--pubkey', 'alice.pub']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/verified \(sha256 [0-9a-f]{64}\); signed by sha256:[0-9a-f]{64} \(alice\.pub\)/);
    expectOneErrorLine(
      await cli(['verify', 'model.onnx', '--pubkey', 'bob.pub']),
      /model\.onnx: was signed by another key .* not the one in bob\.pub/,
    );
    expectOneErrorLine(
      await cli(['verify', 'again.onnx', '--pubkey', 'alice.pub']),
      /again\.onnx: has no signature to check with --pubkey alice\.pub/,
    );
    // A forged signature under alice's fingerprint fails the cryptographic check.
    const entry = JSON.parse(model.metadata.get(META.signature)!) as { signature: string };
    const forged = Buffer.from(entry.signature, 'base64');
    forged[0]! ^= 0xff;
    const signature = JSON.stringify({ ...entry, signature: forged.toString('base64') });
    await writeModel('forged.onnx', { ...model, metadata: new Map([...model.metadata, [META.signature, signature]]) });
    expectOneErrorLine(await cli(['verify', 'forged.onnx', '--pubkey', 'alice.pub']), /forged\.onnx: its signature does not match/);
  });

  it('a model without a digest is reported as such, not as tampered; predict still runs it', async () => {
    const unsealed = new Map(model.metadata);
    unsealed.delete(META.integrity);
    unsealed.delete(META.signature);
    await writeModel('unsealed.onnx', { ...model, metadata: unsealed });
    const run = await cli(['verify', 'unsealed.onnx']);
    expectOneErrorLine(run, /^onnx-mlp: unsealed\.onnx: has no integrity digest/);
    expect(run.stderr).not.toMatch(/changed|tamper/);
    expect((await cli(['predict', 'unsealed.onnx', '--data', 'data.csv'])).code).toBe(0);
  });

  it('bad key files: malformed, wrong type, missing, a private key for --pubkey; each one line naming the file', async () => {
    await writeFile(path('garbage.pem'), 'not a key\n');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await writeFile(path('ec.pub'), ec.publicKey.export({ type: 'spki', format: 'pem' }));
    await writeFile(path('ec.pem'), ec.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expectOneErrorLine(
      await cli(['verify', 'model.onnx', '--pubkey', 'ec.pub']),
      /^onnx-mlp: ec\.pub: is not an Ed25519 key \(its type is ec\)/,
    );
    expectOneErrorLine(await cli([...TRAIN, ...SMALL, '--sign-key', 'ec.pem']), /^onnx-mlp: ec\.pem: is not an Ed25519 key/);
    expectOneErrorLine(await cli(['verify', 'model.onnx', '--pubkey', 'garbage.pem']), /^onnx-mlp: garbage\.pem: not a PEM public key/);
    expectOneErrorLine(await cli(['verify', 'model.onnx', '--pubkey', 'alice.pem']), /^onnx-mlp: alice\.pem: is a private key/);
    expectOneErrorLine(await cli(['verify', 'model.onnx', '--pubkey', 'missing.pub']), /^onnx-mlp: missing\.pub: no such key file/);
    expectOneErrorLine(await cli([...TRAIN, ...SMALL, '--sign-key', 'alice.pub']), /^onnx-mlp: alice\.pub: is a public key/);
    expectOneErrorLine(await cli([...TRAIN, ...SMALL, '--sign-key', 'garbage.pem']), /^onnx-mlp: garbage\.pem: not a PEM private key/);
  });
});
