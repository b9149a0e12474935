import { InvalidArgumentError } from '../errors.js';

/** What the train-step graph needs for differentially private steps. */
export interface PrivacyStepOptions {
  /** The per-example L2 bound C: each example's gradient is scaled to at most this norm. */
  readonly clipNorm: number;
}

/** A differentially private run: the graph's bound and the host's noise, sampling and budget. */
export interface PrivacySettings extends PrivacyStepOptions {
  /** Noise standard deviation over C (σ): the host adds N(0, σ²C²) to each clipped sum. */
  readonly noiseMultiplier: number;
  /** The δ the spent ε is reported for. */
  readonly delta: number;
}

/** The train-step options a private step cannot be combined with, and why. */
const INCOMPATIBLE: Readonly<Record<string, string>> = {
  classWeights:
    'class weights are fitted on the private labels (their counts are not covered by ε) and clipping would undo user-given ones; leave them out with privacy',
  clipNorm: 'global clipping of the noisy sum is not the per-example bound; use privacy.clipNorm alone',
};

/** Throws InvalidArgumentError for a bound that is not positive or an option that breaks the guarantee. */
export function validatePrivacyOptions(privacy: PrivacyStepOptions, others: object): void {
  if (!(Number.isFinite(privacy.clipNorm) && privacy.clipNorm > 0)) {
    throw new InvalidArgumentError('privacy.clipNorm', privacy.clipNorm, 'must be a positive number');
  }
  for (const [field, reason] of Object.entries(INCOMPATIBLE)) {
    const value = (others as Record<string, unknown>)[field];
    if (value !== undefined) throw new InvalidArgumentError(field, value, reason);
  }
}

/** Throws InvalidArgumentError for a negative or non-finite σ or a δ outside (0, 1). */
export function validatePrivacySettings(s: PrivacySettings): void {
  validatePrivacyOptions(s, {});
  if (!(Number.isFinite(s.noiseMultiplier) && s.noiseMultiplier >= 0)) {
    throw new InvalidArgumentError('privacy.noiseMultiplier', s.noiseMultiplier, 'must be a number >= 0');
  }
  if (!(s.delta > 0 && s.delta < 1)) throw new InvalidArgumentError('privacy.delta', s.delta, 'must be in (0, 1)');
}
