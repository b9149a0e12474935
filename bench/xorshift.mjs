// xorshift32: a fast, seeded uniform generator, so the bench's generated files are the same every time.

/** A function returning uniform numbers in [0, 1) from the 32-bit state `seed` (not 0). */
export function xorshift32(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}
