import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@onnx-mlp/core';
import { noiseForEpsilon, privacySpent, stepsWithin } from '@onnx-mlp/core/privacy';

/**
 * ε of Google's dp-accounting 0.4.4 RdpAccountant (PoissonSampledDpEvent of a GaussianDpEvent,
 * composed `steps` times, get_epsilon(delta)), computed once with:
 *   python3 -m venv /tmp/dpref && /tmp/dpref/bin/pip install dp-accounting==0.4.4
 *   /tmp/dpref/bin/python -c 'import dp_accounting as d; from dp_accounting.rdp import rdp_privacy_accountant as r
 *   a = r.RdpAccountant(); a.compose(d.PoissonSampledDpEvent(q, d.GaussianDpEvent(sigma)), steps); print(a.get_epsilon(delta))'
 * (Python 3.11, numpy and scipy as pip resolved them on 2026-11-30; numpy 2.4.6 later gave the same digits).
 */
const REFERENCE = [
  { q: 0.016, sigma: 1.0, steps: 625, delta: 0.000125, epsilon: 2.2823005820000866 },
  { q: 0.01, sigma: 1.1, steps: 1000, delta: 1e-5, epsilon: 1.7117701662429012 },
  { q: 0.004266666666666667, sigma: 0.8, steps: 4690, delta: 1e-5, epsilon: 3.028182379051831 },
  { q: 0.05, sigma: 2.0, steps: 200, delta: 1e-6, epsilon: 1.951806548191748 },
  { q: 0.1, sigma: 0.6, steps: 50, delta: 1e-5, epsilon: 17.150906727158002 },
  { q: 0.001, sigma: 4.0, steps: 10000, delta: 1e-5, epsilon: 0.08622744109193696 },
  { q: 1.0, sigma: 5.0, steps: 10, delta: 1e-5, epsilon: 2.8136532471298397 },
];

describe('the RDP accountant of the Poisson-sampled Gaussian mechanism', () => {
  it.each(REFERENCE)(
    'ε(q=$q, σ=$sigma, steps=$steps, δ=$delta) is dp-accounting 0.4.4 within 1 %',
    ({ q, sigma, steps, delta, epsilon }) => {
      const ours = privacySpent({ q, sigma, steps }, delta);
      expect(Math.abs(ours - epsilon) / epsilon).toBeLessThan(0.01);
    },
  );

  it('spends nothing before the first step and more with every step', () => {
    const run = { q: 0.016, sigma: 1 };
    expect(privacySpent({ ...run, steps: 0 }, 1e-5)).toBe(0);
    const eps = [1, 10, 100, 1000].map((steps) => privacySpent({ ...run, steps }, 1e-5));
    for (let i = 1; i < eps.length; i++) expect(eps[i]!).toBeGreaterThan(eps[i - 1]!);
  });

  it('solves σ for a target ε: the σ found spends at most ε and 0.5 % less noise spends more', () => {
    const run = { q: 0.016, steps: 625 };
    for (const target of [1, 3, 8]) {
      const sigma = noiseForEpsilon(run, target, 1.25e-4);
      expect(privacySpent({ ...run, sigma }, 1.25e-4)).toBeLessThanOrEqual(target);
      expect(privacySpent({ ...run, sigma: sigma * 0.995 }, 1.25e-4)).toBeGreaterThan(target);
    }
    // The reference's first row spends 2.28 at σ = 1: a target of 2.28 needs σ ≈ 1.
    expect(noiseForEpsilon(run, 2.2823005820000866, 1.25e-4)).toBeCloseTo(1, 2);
  });

  it('counts the steps a budget allows: one more would exceed it', () => {
    const run = { q: 0.016, sigma: 1 };
    const steps = stepsWithin(run, 2, 1.25e-4, 10_000);
    expect(steps).toBeGreaterThan(0);
    expect(privacySpent({ ...run, steps }, 1.25e-4)).toBeLessThanOrEqual(2);
    expect(privacySpent({ ...run, steps: steps + 1 }, 1.25e-4)).toBeGreaterThan(2);
  });

  it('refuses a non-positive ε target, a negative σ and a δ outside (0, 1)', () => {
    expect(() => noiseForEpsilon({ q: 0.1, steps: 10 }, 0, 1e-5)).toThrow(InvalidArgumentError);
    expect(() => privacySpent({ q: 0.1, sigma: -1, steps: 10 }, 1e-5)).toThrow(InvalidArgumentError);
    expect(() => privacySpent({ q: 0.1, sigma: 1, steps: 10 }, 0)).toThrow(InvalidArgumentError);
  });
});
