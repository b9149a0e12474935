import { OnnxMlpError } from '../errors.js';
import { ACCOUNTANT, noiseForEpsilon, privacySpent, stepsWithin } from './rdp-accountant.js';
import { validatePrivacySettings } from './privacy-options.js';

/** A private run as asked for: the bound, and σ or an ε budget or both; null δ means 1 / rows. */
export interface PrivacyRequest {
  readonly clipNorm: number;
  /** σ; null: solved from `epsilon` (1 when neither is given). */
  readonly noiseMultiplier: number | null;
  /** The ε budget: training stops before spending more; null: none. */
  readonly epsilon: number | null;
  /** null: 1 / training rows. */
  readonly delta: number | null;
}

/** A private run as it will train: every number the guarantee depends on. */
export interface PrivacyPlan {
  readonly clipNorm: number;
  readonly noiseMultiplier: number;
  readonly delta: number;
  /** 'given', or '1/rows' when δ defaulted to one over the training rows. */
  readonly deltaFrom: 'given' | '1/rows';
  /** Poisson sampling rate: batch size / training rows. */
  readonly q: number;
  readonly stepsPerEpoch: number;
  /** Epochs the budget allows (the epochs asked for when they fit, or no budget was given). */
  readonly epochs: number;
  /** The epochs asked for. */
  readonly requestedEpochs: number;
  /** The ε budget, or null. */
  readonly epsilonBudget: number | null;
  /** ε after `epochs` epochs. */
  readonly epsilon: number;
}

/** An ε budget that the run cannot keep: even one epoch spends more, or no σ up to the search limit keeps it. */
export class PrivacyBudgetError extends OnnxMlpError {
  constructor(
    message: string,
    fields: { epsilon: number; noiseMultiplier: number | null; spentByOneEpoch: number | null; neededNoise: number },
  ) {
    super(message, { code: 'PRIVACY_BUDGET', fields, userError: true });
    this.name = 'PrivacyBudgetError';
  }
}

/** The run's shape: its training rows, batch size and the epochs asked for. */
export interface RunShape {
  readonly rows: number;
  readonly batchSize: number;
  readonly epochs: number;
}

const fmt = (x: number) => Number(x.toPrecision(3));

/**
 * Fixes σ, δ and the epochs of a private run: δ defaults to 1 / rows; with only a budget, σ is
 * the smallest that keeps ε within it over all epochs; with σ and a budget, the epochs are cut to
 * those that keep it. Throws PrivacyBudgetError (naming the σ it would need) when the budget is
 * out of reach.
 */
export function planPrivateRun(req: PrivacyRequest, run: RunShape): PrivacyPlan {
  const q = Math.min(1, run.batchSize / run.rows);
  const stepsPerEpoch = Math.ceil(run.rows / run.batchSize);
  const delta = req.delta ?? 1 / run.rows;
  const steps = run.epochs * stepsPerEpoch;
  const budget = req.epsilon;
  let sigma = req.noiseMultiplier ?? (budget === null ? 1 : noiseForEpsilon({ q, steps }, budget, delta));
  if (!Number.isFinite(sigma)) {
    throw new PrivacyBudgetError(`ε = ${budget} cannot be reached in ${run.epochs} epochs: no noise multiplier up to 1000 keeps it`, {
      epsilon: budget!,
      noiseMultiplier: null,
      spentByOneEpoch: null,
      neededNoise: Infinity,
    });
  }
  validatePrivacySettings({ clipNorm: req.clipNorm, noiseMultiplier: sigma, delta });
  let epochs = run.epochs;
  if (budget !== null && req.noiseMultiplier !== null) {
    epochs = Math.min(run.epochs, Math.floor(stepsWithin({ q, sigma }, budget, delta, steps) / stepsPerEpoch));
    if (epochs === 0) throw budgetError({ q, sigma, stepsPerEpoch, delta }, budget);
  }
  if (req.noiseMultiplier === null && budget !== null) sigma = roundUp4(sigma);
  const epsilon = privacySpent({ q, sigma, steps: epochs * stepsPerEpoch }, delta);
  return {
    clipNorm: req.clipNorm,
    noiseMultiplier: sigma,
    delta,
    deltaFrom: req.delta === null ? '1/rows' : 'given',
    q,
    stepsPerEpoch,
    epochs,
    requestedEpochs: run.epochs,
    epsilonBudget: budget,
    epsilon,
  };
}

/** The error for a budget that one epoch at σ already exceeds, with the σ one epoch would need. */
function budgetError(r: { q: number; sigma: number; stepsPerEpoch: number; delta: number }, budget: number): PrivacyBudgetError {
  const spent = fmt(privacySpent({ q: r.q, sigma: r.sigma, steps: r.stepsPerEpoch }, r.delta));
  const needed = fmt(noiseForEpsilon({ q: r.q, steps: r.stepsPerEpoch }, budget, r.delta));
  return new PrivacyBudgetError(
    `ε = ${budget} cannot be reached: one epoch with noise multiplier ${r.sigma} already spends ε = ${spent}; it needs a noise multiplier of at least ${needed}`,
    { epsilon: budget, noiseMultiplier: r.sigma, spentByOneEpoch: spent, neededNoise: needed },
  );
}

/** σ rounded up to 4 significant digits, so the solved σ prints and records exactly and still keeps the budget. */
function roundUp4(sigma: number): number {
  const scale = 10 ** (3 - Math.floor(Math.log10(sigma)));
  return Math.ceil(sigma * scale) / scale;
}

/** ε spent after `epochs` epochs of the plan. */
export function epsilonAfter(plan: PrivacyPlan, epochs: number): number {
  return privacySpent({ q: plan.q, sigma: plan.noiseMultiplier, steps: epochs * plan.stepsPerEpoch }, plan.delta);
}

/** A private run's guarantee as a model's `onnx_mlp.privacy` metadata records it (JSON). */
export type PrivacyFacts = {
  readonly mechanism: string;
  /** ε spent by the steps taken, at `delta`. */
  readonly epsilon: number;
  readonly delta: number;
  readonly deltaFrom: 'given' | '1/rows';
  readonly epsilonBudget?: number;
  readonly clipNorm: number;
  readonly noiseMultiplier: number;
  readonly samplingRate: number;
  readonly steps: number;
  readonly accountant: string;
  /** What the guarantee protects, and what it does not. */
  readonly covers: string;
};

/** What a model's `onnx_mlp.privacy` metadata records of a private run that trained `epochs` epochs. */
export function privacyFacts(plan: PrivacyPlan, epochs: number): PrivacyFacts {
  return {
    mechanism: 'DP-SGD: per-example clipping, Gaussian noise, Poisson sampling',
    epsilon: epsilonAfter(plan, epochs),
    delta: plan.delta,
    deltaFrom: plan.deltaFrom,
    ...(plan.epsilonBudget !== null ? { epsilonBudget: plan.epsilonBudget } : {}),
    clipNorm: plan.clipNorm,
    noiseMultiplier: plan.noiseMultiplier,
    samplingRate: plan.q,
    steps: epochs * plan.stepsPerEpoch,
    accountant: ACCOUNTANT,
    covers: 'the training rows; not validation or test rows, nor preprocessing statistics fitted on the data',
  };
}
