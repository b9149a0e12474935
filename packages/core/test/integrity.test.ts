import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Model, buildInferenceModel, checkIntegrity, decodeModel, encodeModel, mlpSpec, sealModel } from '@onnx-mlp/core';
import { computeDigests, readIntegrity } from '@onnx-mlp/core/artifacts';
import { META } from '@onnx-mlp/core/internal';
import { Rng, initParameters } from '@onnx-mlp/core/model';

const spec = mlpSpec({ inputs: 4, hidden: [5], outputs: 3 });

function inferenceModel(seed = 1): Model {
  return buildInferenceModel(spec, initParameters(spec, new Rng(seed)), { classNames: ['a', 'b', 'c'], training: { seed } });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('integrity digests (sealModel, checkIntegrity)', () => {
  it('a sealed model checks ok; its digests survive encode -> decode and are the same for the same weights', async () => {
    const sealed = await sealModel(inferenceModel());
    const stored = readIntegrity(sealed)!;
    expect(stored.algorithm).toBe('sha256');
    for (const part of ['graph', 'weights', 'metadata', 'digest'] as const) expect(stored[part]).toMatch(/^[0-9a-f]{64}$/);
    expect(await checkIntegrity(sealed)).toMatchObject({ status: 'ok', differs: [] });
    const decoded = decodeModel(encodeModel(sealed));
    expect(await checkIntegrity(decoded)).toMatchObject({ status: 'ok', differs: [] });
    expect((await computeDigests(decoded)).digest).toBe(stored.digest);
    // Sealing again (the integrity entry itself is left out) and sealing an equal model give the same digest.
    expect(readIntegrity(await sealModel(sealed))).toEqual(stored);
    expect(readIntegrity(await sealModel(inferenceModel()))).toEqual(stored);
    expect(readIntegrity(await sealModel(inferenceModel(2)))!.weights).not.toBe(stored.weights);
  });

  it('the overall digest is SHA-256 over the three part digests; the metadata part over the sorted entries', async () => {
    const sealed = await sealModel(inferenceModel());
    const d = readIntegrity(sealed)!;
    const tag = 'onnx-mlp/integrity/v1';
    expect(d.digest).toBe(sha256(`${tag}\n${d.graph}\n${d.weights}\n${d.metadata}`));
    const entries = [...sealed.metadata].filter(([k]) => k !== META.integrity).sort(([a], [b]) => (a < b ? -1 : 1));
    expect(d.metadata).toBe(sha256(`${tag}/metadata\n${JSON.stringify(entries)}`));
  });

  it('names what changed: one weight byte -> weights, one attribute -> graph, one metadata value -> metadata', async () => {
    const sealed = await sealModel(inferenceModel());
    const initializers = new Map(sealed.graph.initializers);
    const w = initializers.get('dense1.weight')!;
    const data = new Float32Array(w.data as Float32Array);
    new Uint8Array(data.buffer)[7]! ^= 0x80;
    initializers.set('dense1.weight', { ...w, data });
    const weights = { ...sealed, graph: { ...sealed.graph, initializers } };
    expect(await checkIntegrity(weights)).toMatchObject({ status: 'mismatch', differs: ['weights'] });

    const nodes = sealed.graph.nodes.map((n) =>
      n.opType === 'Softmax' ? { ...n, attributes: { ...n.attributes, axis: { kind: 'int' as const, value: 0 } } } : n,
    );
    expect(nodes.some((n, i) => n !== sealed.graph.nodes[i])).toBe(true);
    const graph = { ...sealed, graph: { ...sealed.graph, nodes } };
    expect(await checkIntegrity(graph)).toMatchObject({ status: 'mismatch', differs: ['graph'] });

    const metadata = { ...sealed, metadata: new Map([...sealed.metadata, [META.classNames, '["a","b","x"]']]) };
    expect(await checkIntegrity(metadata)).toMatchObject({ status: 'mismatch', differs: ['metadata'] });

    // The changes survive an encode/decode round trip, as a tampered file would be read.
    expect((await checkIntegrity(decodeModel(encodeModel(weights)))).differs).toEqual(['weights']);
  });

  it('a model never sealed, or with an unreadable entry, has no digest (not a mismatch)', async () => {
    expect(await checkIntegrity(inferenceModel())).toMatchObject({ status: 'no-digest', differs: [] });
    const broken = { ...inferenceModel(), metadata: new Map([[META.integrity, '{not json']]) };
    expect((await checkIntegrity(broken)).status).toBe('no-digest');
  });

  it('a signature entry is outside the digest; a changed overall digest alone is a mismatch naming no part', async () => {
    const sealed = await sealModel(inferenceModel());
    const signed = { ...sealed, metadata: new Map([...sealed.metadata, [META.signature, '{"algorithm":"ed25519"}']]) };
    expect((await checkIntegrity(signed)).status).toBe('ok');
    const d = readIntegrity(sealed)!;
    const edited = {
      ...sealed,
      metadata: new Map([...sealed.metadata, [META.integrity, JSON.stringify({ ...d, digest: '0'.repeat(64) })]]),
    };
    expect(await checkIntegrity(edited)).toMatchObject({ status: 'mismatch', differs: [] });
  });
});
