/** What `evaluate` reports for a regression model. */
export interface RegressionReport {
  readonly mse: number;
  readonly mae: number;
  /** Coefficient of determination, 1 - SS_res / SS_tot (averaged over targets, as scikit-learn's uniform_average). */
  readonly r2: number;
}

/** MSE, MAE and R² of predictions against targets, both row-major with `width` values per row. */
export function regressionReport(targets: ArrayLike<number>, predictions: ArrayLike<number>, width = 1): RegressionReport {
  const rows = targets.length / width;
  let se = 0;
  let ae = 0;
  let r2 = 0;
  for (let k = 0; k < width; k++) {
    let mean = 0;
    for (let i = 0; i < rows; i++) mean += targets[i * width + k]!;
    mean /= rows;
    let res = 0;
    let tot = 0;
    for (let i = 0; i < rows; i++) {
      const y = targets[i * width + k]!;
      const d = y - predictions[i * width + k]!;
      res += d * d;
      ae += Math.abs(d);
      tot += (y - mean) ** 2;
    }
    se += res;
    // A constant target: R² is 1 for a perfect fit and 0 otherwise (scikit-learn's convention).
    r2 += tot === 0 ? (res === 0 ? 1 : 0) : 1 - res / tot;
  }
  return { mse: se / targets.length, mae: ae / targets.length, r2: r2 / width };
}
