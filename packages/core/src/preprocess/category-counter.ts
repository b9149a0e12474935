/**
 * Bits of the linear-counting sketch that estimates a column's distinct values once there are too
 * many to count exactly: 2^20 bits (128 KiB), within a few percent up to several million values.
 */
const SKETCH_BITS = 1 << 20;

/** FNV-1a, 32 bits: a fast, well-spread hash of a category for the sketch. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A categorical column's value counts in bounded memory. Up to `capacity` distinct values are
 * counted exactly; past that it keeps the Misra-Gries summary (every value more frequent than
 * present / (capacity + 1) stays, with its count low by at most that much), which is all a vocabulary
 * of the most frequent values needs, and estimates the distinct count by linear counting. A column
 * of a million distinct values so costs `capacity` map entries and 128 KiB, not a million entries.
 */
export class CategoryCounter {
  private readonly counts = new Map<string, number>();
  private presentValues = 0;
  /** Set once a value found the map full: counts are then Misra-Gries estimates. */
  private sketch: Uint8Array | null = null;

  constructor(readonly capacity: number) {}

  /** Counts one present value. */
  add(value: string): void {
    this.presentValues++;
    if (this.sketch !== null) this.mark(value);
    const c = this.counts.get(value);
    if (c !== undefined) {
      this.counts.set(value, c + 1);
      return;
    }
    if (this.counts.size < this.capacity) {
      this.counts.set(value, 1);
      return;
    }
    if (this.sketch === null) this.startSketch(value);
    // Misra-Gries: a new value when every counter is taken lowers them all by one.
    for (const [k, n] of this.counts) {
      if (n <= 1) this.counts.delete(k);
      else this.counts.set(k, n - 1);
    }
  }

  private startSketch(value: string): void {
    this.sketch = new Uint8Array(SKETCH_BITS / 8);
    for (const k of this.counts.keys()) this.mark(k);
    this.mark(value);
  }

  private mark(value: string): void {
    const bit = fnv1a(value) & (SKETCH_BITS - 1);
    this.sketch![bit >>> 3]! |= 1 << (bit & 7);
  }

  /** Present values counted. */
  get present(): number {
    return this.presentValues;
  }

  /** Whether the counts are exact (the distinct values never outnumbered the capacity). */
  get exact(): boolean {
    return this.sketch === null;
  }

  /** Distinct values: exact, or the linear-counting estimate once past the capacity. */
  get distinct(): number {
    if (this.sketch === null) return this.counts.size;
    let zeros = 0;
    for (const byte of this.sketch) for (let b = byte; b !== 0xff; b |= b + 1) zeros++;
    const estimate = zeros === 0 ? SKETCH_BITS * Math.log(SKETCH_BITS) : -SKETCH_BITS * Math.log(zeros / SKETCH_BITS);
    return Math.max(Math.round(estimate), this.capacity + 1);
  }

  /** The counts kept: every value when exact, else the most frequent ones (Misra-Gries). */
  get kept(): ReadonlyMap<string, number> {
    return this.counts;
  }
}
