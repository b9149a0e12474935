import type { BatchEvent } from '@onnx-mlp/core';

/** Passes on at most one batch event every `intervalMs` (and always an epoch's last batch), so a page is not flooded. */
export function throttleBatches(
  send: (e: BatchEvent) => void,
  intervalMs = 100,
  now: () => number = () => performance.now(),
): (e: BatchEvent) => void {
  let last = -Infinity;
  return (e) => {
    const t = now();
    if (t - last < intervalMs && e.batch !== e.batches) return;
    last = t;
    send(e);
  };
}
