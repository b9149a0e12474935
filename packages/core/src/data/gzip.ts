import { DataFormatError } from './errors.js';

/** True when `bytes` start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses gzip bytes with the standard `DecompressionStream` (Node 18+, browsers), and returns
 * other bytes unchanged. A damaged or cut-off gzip stream is a DataFormatError naming the file.
 */
export async function gunzipIfNeeded(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (!isGzip(bytes)) return bytes;
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (cause) {
    throw new DataFormatError({ file }, `is not a valid gzip file (${(cause as Error).message})`, { cause });
  }
}
