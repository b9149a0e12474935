/** Index of the largest of `count` values starting at `offset` (first one on ties, like ArgMax). */
export function argmax(values: ArrayLike<number>, offset: number, count: number): number {
  let best = 0;
  for (let j = 1; j < count; j++) if (values[offset + j]! > values[offset + best]!) best = j;
  return best;
}

/** Number of rows whose highest logit is the label. */
export function countCorrectMulticlass(logits: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number {
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (argmax(logits, i * classes, classes) === labels[i]) correct++;
  return correct;
}

/** Number of rows where a positive logit matches a target >= 0.5. */
export function countCorrectBinary(logits: ArrayLike<number>, targets: ArrayLike<number>): number {
  let correct = 0;
  for (let i = 0; i < targets.length; i++) if (logits[i]! > 0 === targets[i]! >= 0.5) correct++;
  return correct;
}
