import { DataType } from '../ir/dtype.js';
import type { GraphBuilder } from '../ir/builder.js';
import type { Value } from '../ir/graph.js';

/**
 * How regression targets are standardised for training: y' = (y - center) / scale, one pair per
 * label column, fitted on the train split. The MLP learns y'; model.onnx ends with the inverse
 * (y' * scale + center), so its predictions are in the label's units. Without it an MLP whose
 * outputs start near 0 has to walk its biases out to the label's range at the optimizer's pace
 * (miles per gallon: about 23; horsepower: about 100), which a default run never finishes.
 */
export interface TargetScaling {
  readonly center: readonly number[];
  /** Never 0: a target with no spread keeps scale 1. */
  readonly scale: readonly number[];
}

/** Running mean and variance of each target column (Welford), fed the train rows in any order or in a stream. */
export class TargetMoments {
  private count = 0;
  private readonly mean: number[];
  private readonly m2: number[];

  constructor(readonly width: number) {
    this.mean = new Array<number>(width).fill(0);
    this.m2 = new Array<number>(width).fill(0);
  }

  /** Adds one row's targets (`width` numbers from `offset`). */
  add(targets: ArrayLike<number>, offset = 0): void {
    this.count++;
    for (let k = 0; k < this.width; k++) {
      const y = targets[offset + k]!;
      const d = y - this.mean[k]!;
      this.mean[k]! += d / this.count;
      this.m2[k]! += d * (y - this.mean[k]!);
    }
  }

  /** The scaling: the train rows' mean and population standard deviation (scale 1 when there is no spread). */
  finish(): TargetScaling {
    const scale = this.m2.map((m) => {
      const std = this.count > 0 ? Math.sqrt(m / this.count) : 0;
      return std > 0 && Number.isFinite(std) ? std : 1;
    });
    return { center: [...this.mean], scale };
  }
}

/** `targets` ([rows, width], label units) standardised: a new array of (y - center) / scale. */
export function scaleTargets(targets: Float32Array, s: TargetScaling): Float32Array {
  const width = s.center.length;
  const out = new Float32Array(targets.length);
  for (let i = 0; i < targets.length; i++) out[i] = (targets[i]! - s.center[i % width]!) / s.scale[i % width]!;
  return out;
}

/**
 * The factor that turns a mean squared error of standardised targets into the label's units:
 * scale² for one label column. Several columns with their own scales have no single factor (the
 * loss averages them), so it is null there and losses stay in standardised units.
 */
export function labelUnitLossFactor(s: TargetScaling): number | null {
  return s.scale.length === 1 ? s.scale[0]! ** 2 : null;
}

/** Emits the inverse of the scaling at the end of a regression MLP: `value` * scale + center (a Mul and an Add). */
export function emitTargetInverse(b: GraphBuilder, value: Value, s: TargetScaling): Value {
  return b.scoped('target_inverse', () => {
    const scaled = b.op('Mul', [value, b.constant([...s.scale], DataType.FLOAT)]);
    return b.op('Add', [scaled, b.constant([...s.center], DataType.FLOAT)]);
  });
}
