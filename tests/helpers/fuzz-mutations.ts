import { decodeModel, encodeModel } from '@onnx-mlp/core';
import type { Rng } from '@onnx-mlp/core/model';

/** One seeded change to a file's bytes, and how to describe it in a failure. */
export interface Mutated {
  readonly bytes: Buffer;
  readonly what: string;
}

type Mutation = (b: Buffer, rng: Rng) => { bytes: Buffer; what: string };

/** A position, half the time near the start or the end (where headers, graph structure and metadata sit). */
function position(length: number, rng: Rng): number {
  if (length === 0) return 0;
  const edge = Math.min(length, 2048);
  const r = rng.uniform();
  if (r < 0.25) return rng.int(edge);
  if (r < 0.5) return length - 1 - rng.int(edge);
  return rng.int(length);
}

function insert(b: Buffer, at: number, extra: Buffer): Buffer {
  return Buffer.concat([b.subarray(0, at), extra, b.subarray(at)]);
}

const MUTATIONS: Record<string, Mutation> = {
  flip(b, rng) {
    const out = Buffer.from(b);
    const at = position(b.length, rng);
    const mask = 1 + rng.int(255);
    if (out.length > 0) out[at] = out[at]! ^ mask;
    return { bytes: out, what: `flip byte ${at} ^ ${mask}` };
  },
  truncate(b, rng) {
    const at = position(b.length, rng);
    return { bytes: b.subarray(0, at), what: `truncate to ${at} bytes` };
  },
  quote(b, rng) {
    const at = position(b.length, rng);
    return { bytes: insert(b, at, Buffer.from('"')), what: `insert " at ${at}` };
  },
  delimiter(b, rng) {
    const at = position(b.length, rng);
    const d = [',', '\t', ';', '\n', '\r\n', ',,'][rng.int(6)]!;
    return { bytes: insert(b, at, Buffer.from(d)), what: `insert ${JSON.stringify(d)} at ${at}` };
  },
  binary(b, rng) {
    const at = position(b.length, rng);
    const extra = Buffer.from(Array.from({ length: 1 + rng.int(8) }, () => rng.int(256)));
    return { bytes: insert(b, at, extra), what: `insert ${extra.length} random bytes at ${at}` };
  },
  long(b, rng) {
    const at = position(b.length, rng);
    return { bytes: insert(b, at, Buffer.from('x'.repeat(5000))), what: `insert 5000 characters at ${at}` };
  },
};

/**
 * `source` changed by one to three seeded mutations: byte flips, truncations, inserted quotes,
 * delimiters and line breaks, random bytes and (text files) a very long value.
 */
export function mutate(source: Buffer, rng: Rng, options: { text: boolean }): Mutated {
  const names = Object.keys(MUTATIONS).filter((n) => options.text || n !== 'long');
  let bytes = source;
  const what: string[] = [];
  for (let i = 1 + rng.int(3); i > 0; i--) {
    const m = MUTATIONS[names[rng.int(names.length)]!]!(bytes, rng);
    bytes = m.bytes;
    what.push(m.what);
  }
  return { bytes, what: what.join(', ') };
}

/** Values a mutated JSON field takes: wrong types, out of range, huge, empty. */
const ODD_VALUES: readonly unknown[] = [
  null,
  -1,
  0,
  1e308,
  -1e-308,
  2 ** 53,
  0.5,
  '',
  'x'.repeat(3000),
  [],
  {},
  [1, 'a'],
  true,
  '\n\u0000',
];

/** Replaces one seeded node of parsed JSON (an object field or array element, at any depth) with an odd value. */
function replaceJsonNode(value: unknown, rng: Rng): { value: unknown; path: string } {
  if (value === null || typeof value !== 'object' || rng.uniform() < 0.25) {
    const odd = ODD_VALUES[rng.int(ODD_VALUES.length)];
    return { value: odd, path: `= ${JSON.stringify(odd)?.slice(0, 20)}` };
  }
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  if (keys.length === 0) return { value: ODD_VALUES[rng.int(ODD_VALUES.length)], path: '(empty)' };
  const key = keys[rng.int(keys.length)]!;
  const inner = replaceJsonNode((value as Record<string | number, unknown>)[key], rng);
  const copy = (Array.isArray(value) ? [...value] : { ...value }) as Record<string | number, unknown>;
  if (rng.uniform() < 0.1) delete copy[key];
  else copy[key] = inner.value;
  return { value: copy, path: `.${key}${inner.path}` };
}

/** A JSON text with one node replaced (or, when it is not JSON, a text mutation). */
export function mutateJsonText(text: string, rng: Rng): Mutated {
  try {
    const replaced = replaceJsonNode(JSON.parse(text), rng);
    return { bytes: Buffer.from(JSON.stringify(replaced.value)), what: `json ${replaced.path}` };
  } catch {
    return mutate(Buffer.from(text), rng, { text: true });
  }
}

/**
 * An ONNX file (model or checkpoint) mutated at one of three depths, seeded: its bytes (framing
 * breaks: the decoder's checks), one byte flipped (framing mostly kept: a weight or a string
 * changes), or one metadata value changed as JSON or text and re-encoded (the file decodes: the
 * checks of what onnx-mlp stores in it).
 */
export function mutateOnnx(source: Buffer, rng: Rng): Mutated {
  const depth = rng.uniform();
  if (depth < 0.25) return mutate(source, rng, { text: false });
  if (depth < 0.45) return MUTATIONS.flip!(source, rng);
  const model = decodeModel(source, { lenient: true });
  const keys = [...model.metadata.keys()];
  const key = keys[rng.int(keys.length)]!;
  const m =
    rng.uniform() < 0.7
      ? mutateJsonText(model.metadata.get(key)!, rng)
      : mutate(Buffer.from(model.metadata.get(key)!), rng, { text: true });
  const metadata = new Map(model.metadata);
  metadata.set(key, m.bytes.toString('utf8'));
  return { bytes: Buffer.from(encodeModel({ ...model, metadata })), what: `metadata ${key}: ${m.what}` };
}
