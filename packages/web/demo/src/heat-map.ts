import type { ArrayExplanation } from '@onnx-mlp/web';

/** Integrated-gradients steps of the pad's heat map: a few milliseconds for one digit in WASM. */
export const HEAT_MAP_STEPS = 32;

const SIDE = 28;

/**
 * Paints the drawn digit (grey) with each pixel's attribution over it: red where the pixel's ink
 * raised the predicted class's probability, blue where it lowered it, opacity by |attribution|
 * relative to the largest. Records the numbers on the canvas (data-*) for readers and tests.
 */
export function paintHeatMap(canvas: HTMLCanvasElement, pixels: Float32Array | null, explanation: ArrayExplanation | null): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(SIDE, SIDE);
  const a = explanation?.attributions;
  const largest = a ? a.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1 : 1;
  for (let i = 0; i < SIDE * SIDE; i++) {
    const ink = 255 - Math.round((pixels?.[i] ?? 0) * 160);
    const weight = a ? Math.min(1, Math.abs(a[i]!) / largest) : 0;
    const [r, g, b] = a && a[i]! < 0 ? [37, 99, 235] : [220, 38, 38];
    image.data.set([mix(ink, r, weight), mix(ink, g, weight), mix(ink, b, weight), 255], i * 4);
  }
  context.putImageData(image, 0, 0);
  if (!explanation || !a) {
    for (const key of ['class', 'attributionSum', 'output', 'baselineOutput']) delete canvas.dataset[key];
    return;
  }
  canvas.dataset.class = String(explanation.classes?.[0] ?? '');
  canvas.dataset.attributionSum = String(a.reduce((s, v) => s + v, 0));
  canvas.dataset.output = String(explanation.output[0]);
  canvas.dataset.baselineOutput = String(explanation.baselineOutput[0]);
}

function mix(from: number, to: number, weight: number): number {
  return Math.round(from + (to - from) * weight);
}
