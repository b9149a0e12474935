/**
 * Plain-TypeScript float64 references of the optimizers, written from PyTorch's documented
 * algorithms (torch.optim.SGD, torch.optim.Adam, torch.optim.AdamW), element by element, with
 * PyTorch's defaults for what onnx-mlp does not expose (dampening 0, amsgrad off, maximize off).
 */

export interface RefSgd {
  readonly kind: 'sgd';
  readonly lr: number;
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
}

export interface RefAdam {
  readonly kind: 'adam' | 'adamw';
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
}

/** Per-parameter state, keyed as onnx-mlp names its slots ('velocity', 'm', 'v'). */
export type RefState = Record<string, number[]>;

/**
 * One step t (1-based) for one parameter tensor; returns the new parameter and state.
 * torch.optim.SGD: g += wd p; b = mu b + g (b = g at t = 1); g = nesterov ? g + mu b : b; p -= lr g.
 * torch.optim.Adam: g += wd p; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 *   m^ = m / (1 - b1^t); v^ = v / (1 - b2^t); p -= lr m^ / (sqrt(v^) + eps).
 * torch.optim.AdamW: p *= 1 - lr wd; then Adam's step without the wd term.
 */
export function referenceStep(
  c: RefSgd | RefAdam,
  param: readonly number[],
  grad: readonly number[],
  state: RefState,
  t: number,
): { param: number[]; state: RefState } {
  if (c.kind === 'sgd') {
    const g = grad.map((gi, i) => gi + c.weightDecay * param[i]!);
    if (c.momentum === 0) return { param: param.map((p, i) => p - c.lr * g[i]!), state: {} };
    const prev = state.velocity!;
    const buf = g.map((gi, i) => (t === 1 ? gi : c.momentum * prev[i]! + gi));
    const dir = c.nesterov ? g.map((gi, i) => gi + c.momentum * buf[i]!) : buf;
    return { param: param.map((p, i) => p - c.lr * dir[i]!), state: { velocity: buf } };
  }
  const decoupled = c.kind === 'adamw';
  const p0 = decoupled ? param.map((p) => p * (1 - c.lr * c.weightDecay)) : [...param];
  const g = decoupled ? [...grad] : grad.map((gi, i) => gi + c.weightDecay * param[i]!);
  const m = g.map((gi, i) => c.beta1 * state.m![i]! + (1 - c.beta1) * gi);
  const v = g.map((gi, i) => c.beta2 * state.v![i]! + (1 - c.beta2) * gi * gi);
  const bc1 = 1 - c.beta1 ** t;
  const bc2 = 1 - c.beta2 ** t;
  const next = p0.map((p, i) => p - (c.lr * (m[i]! / bc1)) / (Math.sqrt(v[i]! / bc2) + c.eps));
  return { param: next, state: { m, v } };
}
