import { DataFormatError } from './errors.js';

/** A piece of a file: text, or bytes (UTF-8 for text formats). */
export type Chunk = string | Uint8Array;

/**
 * What the readers read: a whole file as one string or byte array, or its chunks as they arrive, from
 * any iterable or async iterable (a Node `Readable`, a `ReadableStream` in runtimes where it is async
 * iterable, an async generator). Chunks may split a line, a quoted field or a UTF-8 character anywhere.
 */
export type ChunkSource = Chunk | Iterable<Chunk> | AsyncIterable<Chunk>;

/** The chunks of `source` one by one, whatever its shape. */
export async function* chunksOf(source: ChunkSource): AsyncGenerator<Chunk, void, undefined> {
  if (typeof source === 'string' || source instanceof Uint8Array) {
    yield source;
    return;
  }
  for await (const chunk of source as AsyncIterable<Chunk>) {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
      throw new TypeError(`a data source yielded ${typeof chunk}; expected strings or Uint8Array chunks`);
    }
    yield chunk;
  }
}

/**
 * The text of `source`, chunk by chunk: bytes decoded as UTF-8 (a character split across chunks is
 * joined; invalid UTF-8 is an error naming the line, not a silent U+FFFD), a leading byte-order mark
 * removed. Empty chunks are dropped.
 */
export async function* textChunks(source: ChunkSource, file: string): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  let lines = 1;
  const emit = (text: string): string => {
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
    return text;
  };
  const decode = (bytes: Uint8Array | undefined): string => {
    try {
      return bytes === undefined ? decoder.decode() : decoder.decode(bytes, { stream: true });
    } catch (cause) {
      let line = lines;
      if (bytes !== undefined) {
        const lenient = new TextDecoder('utf-8').decode(bytes);
        const bad = lenient.indexOf('\ufffd');
        for (let at = lenient.indexOf('\n'); at !== -1 && at < bad; at = lenient.indexOf('\n', at + 1)) line++;
      }
      throw new DataFormatError({ file, line }, 'is not valid UTF-8 text (save the file as UTF-8)', { cause });
    }
  };
  for await (const chunk of chunksOf(source)) {
    const text = emit(typeof chunk === 'string' ? chunk : decode(chunk));
    if (text.length > 0) yield text;
  }
  const tail = emit(decode(undefined));
  if (tail.length > 0) yield tail;
}

/** All of `source` as bytes (binary formats are parsed whole). Strings are not bytes: a TypeError. */
export async function collectBytes(source: ChunkSource): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunksOf(source)) {
    if (typeof chunk === 'string') throw new TypeError('a binary data source yielded a string; expected Uint8Array chunks');
    parts.push(chunk);
    total += chunk.byteLength;
  }
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
