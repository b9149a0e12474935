/** Deterministic bytes that are not a ModelProto (xorshift32 from `seed`), for "random bytes" model files. */
export function pseudoRandomBytes(n: number, seed: number): Uint8Array {
  let x = seed;
  return Uint8Array.from({ length: n }, () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x & 0xff;
  });
}
