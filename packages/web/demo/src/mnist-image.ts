/** Side of an MNIST image, and of the box the digit is scaled into (the rest is margin). */
export const MNIST_SIDE = 28;
const DIGIT_BOX = 20;

/** Ink coverage of a drawing: one value in [0, 1] per pixel, row by row. */
export interface InkImage {
  readonly ink: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** Ink (alpha) of each pixel of a canvas drawn in any colour on a transparent background. */
export function inkOfCanvas(canvas: HTMLCanvasElement): InkImage {
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2D canvas context');
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  const ink = new Float32Array(canvas.width * canvas.height);
  for (let i = 0; i < ink.length; i++) ink[i] = data[i * 4 + 3]! / 255;
  return { ink, width: canvas.width, height: canvas.height };
}

function inkBounds({ ink, width, height }: InkImage): { x: number; y: number; w: number; h: number } | null {
  let left = width,
    right = -1,
    top = height,
    bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! > 0.05) {
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
      }
    }
  }
  return right < 0 ? null : { x: left, y: top, w: right - left + 1, h: bottom - top + 1 };
}

/** Area-average the bounding box down so its longer side is DIGIT_BOX pixels (aspect kept). */
function scaleIntoBox(image: InkImage, box: { x: number; y: number; w: number; h: number }): InkImage {
  const scale = DIGIT_BOX / Math.max(box.w, box.h);
  const width = Math.max(1, Math.round(box.w * scale));
  const height = Math.max(1, Math.round(box.h * scale));
  const sum = new Float32Array(width * height);
  const count = new Float32Array(width * height);
  for (let y = 0; y < box.h; y++) {
    const ty = Math.min(height - 1, Math.floor(y * scale));
    for (let x = 0; x < box.w; x++) {
      const tx = Math.min(width - 1, Math.floor(x * scale));
      sum[ty * width + tx]! += image.ink[(box.y + y) * image.width + box.x + x]!;
      count[ty * width + tx]! += 1;
    }
  }
  for (let i = 0; i < sum.length; i++) sum[i] = count[i]! > 0 ? sum[i]! / count[i]! : 0;
  return { ink: sum, width, height };
}

function centreOfMass({ ink, width, height }: InkImage): { x: number; y: number } {
  let total = 0,
    sx = 0,
    sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = ink[y * width + x]!;
      total += v;
      sx += v * x;
      sy += v * y;
    }
  }
  return total > 0 ? { x: sx / total, y: sy / total } : { x: width / 2, y: height / 2 };
}

/**
 * The 784 pixels the MNIST model expects, made from a drawing the way the MNIST digits were made:
 * the ink's bounding box scaled into a 20×20 box (aspect kept), placed in a 28×28 image so its centre
 * of mass sits at the centre, ink in [0, 1] with the strongest pixel at 1. Null for an empty drawing.
 */
export function mnistPixels(image: InkImage): Float32Array | null {
  const box = inkBounds(image);
  if (!box) return null;
  const digit = scaleIntoBox(image, box);
  const mass = centreOfMass(digit);
  const dx = Math.round(MNIST_SIDE / 2 - 0.5 - mass.x);
  const dy = Math.round(MNIST_SIDE / 2 - 0.5 - mass.y);
  const pixels = new Float32Array(MNIST_SIDE * MNIST_SIDE);
  let peak = 0;
  for (let y = 0; y < digit.height; y++) {
    for (let x = 0; x < digit.width; x++) {
      const tx = x + dx,
        ty = y + dy;
      if (tx < 0 || ty < 0 || tx >= MNIST_SIDE || ty >= MNIST_SIDE) continue;
      const v = digit.ink[y * digit.width + x]!;
      pixels[ty * MNIST_SIDE + tx] = v;
      peak = Math.max(peak, v);
    }
  }
  if (peak > 0) for (let i = 0; i < pixels.length; i++) pixels[i] = Math.min(1, pixels[i]! / peak);
  return pixels;
}

/** Paints 28×28 pixels in [0, 1] onto a 28×28 canvas (white ink on black, as MNIST is stored). */
export function paintPixels(canvas: HTMLCanvasElement, pixels: Float32Array | null): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(MNIST_SIDE, MNIST_SIDE);
  for (let i = 0; i < MNIST_SIDE * MNIST_SIDE; i++) {
    const v = Math.round((pixels?.[i] ?? 0) * 255);
    image.data.set([v, v, v, 255], i * 4);
  }
  context.putImageData(image, 0, 0);
}
