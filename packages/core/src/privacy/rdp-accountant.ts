import { InvalidArgumentError } from '../errors.js';
import { logAdd, logBinomial, logErfc } from './special-functions.js';

/**
 * The Rényi orders the accountant evaluates: those of Google's dp-accounting RdpAccountant
 * (DEFAULT_RDP_ORDERS), so both pick their ε from the same candidates.
 */
export const RDP_ORDERS: readonly number[] = [
  ...Array.from({ length: 99 }, (_, x) => 1 + (x + 1) / 10),
  ...Array.from({ length: 53 }, (_, i) => 11 + i),
  128,
  256,
  512,
  1024,
];

/** The accountant's name as run metadata records it. */
export const ACCOUNTANT = 'rdp (Mironov et al. 2019, sampled Gaussian mechanism; ε by Balle et al. 2020 Prop. 12)';

/** A run of the Poisson-sampled Gaussian mechanism: what its privacy depends on. */
export interface SampledGaussian {
  /** Probability that each row is in a step's batch (Poisson sampling). */
  readonly q: number;
  /** Noise standard deviation over the clipping bound. */
  readonly sigma: number;
  /** Steps (batches) taken. */
  readonly steps: number;
}

/** log A_α for integer α (Mironov et al. 2019, section 3.3): a finite binomial sum. */
function logAInteger(q: number, sigma: number, alpha: number): number {
  let logA = -Infinity;
  for (let i = 0; i <= alpha; i++) {
    const coef = logBinomial(alpha, i) + i * Math.log(q) + (alpha - i) * Math.log1p(-q);
    logA = logAdd(logA, coef + (i * i - i) / (2 * sigma * sigma));
  }
  return logA;
}

/** log A_α for fractional α: the two tails split at z0, summed until the terms vanish. */
function logAFractional(q: number, sigma: number, alpha: number): number {
  let logA0 = -Infinity;
  let logA1 = -Infinity;
  const z0 = sigma * sigma * Math.log(1 / q - 1) + 0.5;
  const s2 = Math.SQRT2 * sigma;
  for (let i = 0; ; i++) {
    const coef = logBinomial(alpha, i);
    const j = alpha - i;
    const t0 = coef + i * Math.log(q) + j * Math.log1p(-q);
    const t1 = coef + j * Math.log(q) + i * Math.log1p(-q);
    const s0 = t0 + (i * i - i) / (2 * sigma * sigma) + Math.log(0.5) + logErfc((i - z0) / s2);
    const s1 = t1 + (j * j - j) / (2 * sigma * sigma) + Math.log(0.5) + logErfc((z0 - j) / s2);
    logA0 = logAdd(logA0, s0);
    logA1 = logAdd(logA1, s1);
    if (Math.max(s0, s1) < -30) break;
  }
  return logAdd(logA0, logA1);
}

/** RDP of one step of the Poisson-sampled Gaussian mechanism at each order (0 for q = 0, ∞ for σ = 0). */
export function sampledGaussianRdp(q: number, sigma: number, orders: readonly number[] = RDP_ORDERS): number[] {
  return orders.map((alpha) => {
    if (q === 0) return 0;
    if (sigma === 0) return Infinity;
    if (q === 1) return alpha / (2 * sigma * sigma);
    const logA = Number.isInteger(alpha) ? logAInteger(q, sigma, alpha) : logAFractional(q, sigma, alpha);
    return logA / (alpha - 1);
  });
}

/**
 * The smallest ε over the orders for which the RDP curve gives (ε, δ)-DP, with the conversion of
 * Balle et al. 2020 (Prop. 12) that dp-accounting uses: ε = r + log(1 - 1/α) - log(δ α) / (α - 1).
 */
export function epsilonFromRdp(
  rdp: readonly number[],
  delta: number,
  orders: readonly number[] = RDP_ORDERS,
): { epsilon: number; order: number } {
  let best = { epsilon: Infinity, order: orders[0]! };
  orders.forEach((a, k) => {
    const r = rdp[k]!;
    let eps: number;
    if (r < 0 || delta * delta + Math.expm1(-r) > 0) eps = 0;
    else if (a > 1.01) eps = r + Math.log1p(-1 / a) - Math.log(delta * a) / (a - 1);
    else eps = Infinity;
    if (eps < best.epsilon) best = { epsilon: eps, order: a };
  });
  return { epsilon: Math.max(0, best.epsilon), order: best.order };
}

/** ε spent by `run` at `delta` (0 before the first step). */
export function privacySpent(run: SampledGaussian, delta: number): number {
  checkRun(run, delta);
  if (run.steps === 0) return 0;
  const rdp = sampledGaussianRdp(run.q, run.sigma).map((r) => r * run.steps);
  return epsilonFromRdp(rdp, delta).epsilon;
}

/** The most noise `noiseForEpsilon` looks at: beyond it, an ε target counts as unreachable. */
export const MAX_NOISE = 1000;

/**
 * The smallest noise multiplier σ (to 0.1 %) whose `steps` sampled steps spend at most `epsilon` at
 * `delta`; Infinity when even σ = MAX_NOISE spends more.
 */
export function noiseForEpsilon(run: Omit<SampledGaussian, 'sigma'>, epsilon: number, delta: number): number {
  if (!(Number.isFinite(epsilon) && epsilon > 0)) throw new InvalidArgumentError('epsilon', epsilon, 'must be a positive number');
  const spent = (sigma: number) => privacySpent({ ...run, sigma }, delta);
  if (spent(MAX_NOISE) > epsilon) return Infinity;
  let lo = 0.01;
  let hi = MAX_NOISE;
  if (spent(lo) <= epsilon) return lo;
  while (hi / lo > 1.001) {
    const mid = Math.sqrt(lo * hi);
    if (spent(mid) <= epsilon) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The most steps of `run` (ignoring its own `steps`) that spend at most `epsilon`. */
export function stepsWithin(run: Omit<SampledGaussian, 'steps'>, epsilon: number, delta: number, most: number): number {
  let lo = 0;
  let hi = most;
  if (privacySpent({ ...run, steps: hi }, delta) <= epsilon) return hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (privacySpent({ ...run, steps: mid }, delta) <= epsilon) lo = mid;
    else hi = mid;
  }
  return lo;
}

function checkRun(run: SampledGaussian, delta: number): void {
  if (!(run.q >= 0 && run.q <= 1)) throw new InvalidArgumentError('q', run.q, 'must be a sampling rate in [0, 1]');
  if (!(Number.isFinite(run.sigma) && run.sigma >= 0)) throw new InvalidArgumentError('sigma', run.sigma, 'must be a number >= 0');
  if (!(Number.isInteger(run.steps) && run.steps >= 0)) throw new InvalidArgumentError('steps', run.steps, 'must be an integer >= 0');
  if (!(delta > 0 && delta < 1)) throw new InvalidArgumentError('delta', delta, 'must be in (0, 1)');
}
