/** Thickness of a stroke on the 280-pixel pad: about 2 pixels once scaled to MNIST's 20-pixel box. */
const STROKE_WIDTH = 20;

/**
 * Makes a canvas a drawing pad for mouse, pen and touch (pointer events). Calls `onStroke` while
 * drawing (at most once per frame) and when a stroke ends. Returns a function that clears the pad.
 */
export function attachDigitPad(canvas: HTMLCanvasElement, onStroke: () => void): () => void {
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2D canvas context');
  context.lineCap = 'round';
  context.lineJoin = 'round';
  context.lineWidth = STROKE_WIDTH;
  context.strokeStyle = '#1b1f24';
  canvas.style.touchAction = 'none'; // a finger draws instead of scrolling the page
  let last: { x: number; y: number } | null = null;
  let frameQueued = false;

  const point = (event: PointerEvent): { x: number; y: number } => {
    const rect = canvas.getBoundingClientRect();
    return { x: ((event.clientX - rect.left) * canvas.width) / rect.width, y: ((event.clientY - rect.top) * canvas.height) / rect.height };
  };
  const notifyNextFrame = (): void => {
    if (frameQueued) return;
    frameQueued = true;
    requestAnimationFrame(() => {
      frameQueued = false;
      onStroke();
    });
  };
  canvas.addEventListener('pointerdown', (event) => {
    canvas.setPointerCapture(event.pointerId);
    last = point(event);
    context.beginPath();
    context.arc(last.x, last.y, STROKE_WIDTH / 2, 0, Math.PI * 2);
    context.fillStyle = context.strokeStyle;
    context.fill();
    notifyNextFrame();
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!last) return;
    const next = point(event);
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(next.x, next.y);
    context.stroke();
    last = next;
    notifyNextFrame();
  });
  const end = (): void => {
    if (!last) return;
    last = null;
    notifyNextFrame();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  return () => {
    context.clearRect(0, 0, canvas.width, canvas.height);
    onStroke();
  };
}
