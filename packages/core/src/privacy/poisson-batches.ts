import type { Rng } from '../model/rng.js';

/** One epoch of Poisson-sampled batches, padded to one width so they run as one [steps, width] Loop input. */
export interface PoissonBatches {
  readonly steps: number;
  /** The widest batch of the epoch (at least 1): every batch is padded to it. */
  readonly width: number;
  /** Row indices [steps, width]: a batch's sampled rows, then padding rows. */
  readonly order: Int32Array;
  /** Per-row weights [steps, width]: `weight` for a sampled row, 0 for padding. */
  readonly weights: Float32Array;
  /** Sampled rows (without padding) over all steps. */
  readonly sampled: number;
}

/** How an epoch's batches are drawn. */
export interface PoissonSampling {
  /** Rows of the training set. */
  readonly rows: number;
  readonly steps: number;
  /** Probability that a row is in a batch, independently of every other row and step. */
  readonly q: number;
  /** The weight of a sampled row in the clipped sum (1 / expected batch size). */
  readonly weight: number;
}

/** The rows of one Poisson batch: each row independently with probability q (geometric skips). */
function sampleBatch(rng: Rng, rows: number, q: number): number[] {
  const picked: number[] = [];
  const logMiss = Math.log1p(-q);
  for (let i = -1; ; ) {
    // The gap to the next sampled row is geometric: P(gap = k) = (1 - q)^k q.
    i += 1 + Math.floor(Math.log(1 - rng.uniform()) / logMiss);
    if (!(i < rows)) return picked;
    picked.push(i);
  }
}

/**
 * Draws `steps` batches by Poisson sampling, as the RDP accountant of the sampled Gaussian
 * mechanism assumes: batch sizes vary, so each is padded to the epoch's widest with uniformly drawn
 * rows of weight 0. Padding rows change no gradient; their loss and accuracy count in the epoch's
 * figures like sampled rows (both are uniform draws from the training rows).
 */
export function poissonBatches(rng: Rng, s: PoissonSampling): PoissonBatches {
  const batches = Array.from({ length: s.steps }, () => sampleBatch(rng, s.rows, s.q));
  const width = Math.max(1, ...batches.map((b) => b.length));
  const order = new Int32Array(s.steps * width);
  const weights = new Float32Array(s.steps * width);
  batches.forEach((batch, k) => {
    for (let j = 0; j < width; j++) {
      const sampled = j < batch.length;
      order[k * width + j] = sampled ? batch[j]! : rng.int(s.rows);
      weights[k * width + j] = sampled ? s.weight : 0;
    }
  });
  return { steps: s.steps, width, order, weights, sampled: batches.reduce((n, b) => n + b.length, 0) };
}

/**
 * `count` independent N(0, std²) samples: Marsaglia's polar method (no trigonometry) on uniforms
 * drawn in blocks; uniforms left in the last block are discarded, the same for every run, so the
 * stream stays reproducible.
 */
export function gaussianNoise(rng: Rng, count: number, std: number): Float32Array {
  const out = new Float32Array(count);
  if (std === 0) return out;
  let filled = 0;
  while (filled < count) {
    // About 4/π pairs are drawn per accepted pair; a little more so one block usually suffices.
    const u = rng.uniforms(2 * Math.ceil((count - filled) * 0.66) + 64);
    for (let k = 0; k + 1 < u.length && filled < count; k += 2) {
      const a = 2 * u[k]! - 1;
      const b = 2 * u[k + 1]! - 1;
      const s = a * a + b * b;
      if (s >= 1 || s === 0) continue;
      const f = std * Math.sqrt((-2 * Math.log(s)) / s);
      out[filled++] = a * f;
      if (filled < count) out[filled++] = b * f;
    }
  }
  return out;
}
