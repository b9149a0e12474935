import { WebModelError } from './errors.js';

/** Where a model comes from: a URL (string or URL), its bytes, or a Blob/File. */
export type ModelSource = string | URL | ArrayBuffer | Uint8Array | Blob;

/** A short name for a source, for error messages. */
export function sourceName(source: ModelSource): string {
  if (typeof source === 'string') return source;
  if (source instanceof URL) return source.href;
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const name = (source as Blob & { name?: unknown }).name;
    return typeof name === 'string' && name !== '' ? name : `the given Blob (${source.size} bytes)`;
  }
  const bytes = source as ArrayBuffer | Uint8Array;
  return `the given ${bytes instanceof Uint8Array ? 'Uint8Array' : 'ArrayBuffer'} (${bytes.byteLength} bytes)`;
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new WebModelError('fetch-failed', `${url}: the model could not be fetched (${(e as Error).message})`, { cause: e });
  }
  if (!response.ok) {
    const text = response.statusText ? ` ${response.statusText}` : '';
    throw new WebModelError('fetch-failed', `${url}: the server answered ${response.status}${text}, not the model`);
  }
  return new Uint8Array(await response.arrayBuffer());
}

/** The bytes of `source`: fetched (a URL), read (a Blob/File) or taken as they are. */
export async function readModelBytes(source: ModelSource): Promise<Uint8Array> {
  if (typeof source === 'string') return fetchBytes(source);
  if (source instanceof URL) return fetchBytes(source.href);
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof Blob !== 'undefined' && source instanceof Blob) return new Uint8Array(await source.arrayBuffer());
  throw new TypeError('loadModel takes a URL, an ArrayBuffer, a Uint8Array, a Blob or a File');
}
