import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** Where browser tests keep their screenshots (git-ignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/web-demo/', import.meta.url));

/** Saves a screenshot of one element of the page as test-artifacts/web-demo/<name>.png. */
export async function screenshotOf(page: Page, selector: string, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}${name}.png`;
  await page.locator(selector).screenshot({ path });
  return path;
}

/** Float32 values as base64 (how a large array crosses into page.evaluate cheaply). */
export function floatsToBase64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

/** The inverse of floatsToBase64. */
export function base64ToFloats(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/** Starts counting animation frames in the page; the returned function stops and gives their times (ms). */
export async function countFrames(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { frameTimes: number[]; stopFrames: boolean };
    w.frameTimes = [];
    w.stopFrames = false;
    const tick = (time: number): void => {
      w.frameTimes.push(time);
      if (!w.stopFrames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  return () =>
    page.evaluate(() => {
      const w = window as unknown as { frameTimes: number[]; stopFrames: boolean };
      w.stopFrames = true;
      return w.frameTimes;
    });
}

/** Frames per second over a run of frame times, and the longest gap between two frames (ms). */
export function frameRate(times: readonly number[]): { perSecond: number; longestGapMs: number } {
  if (times.length < 2) return { perSecond: 0, longestGapMs: Infinity };
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
  return { perSecond: ((times.length - 1) * 1000) / (times[times.length - 1]! - times[0]!), longestGapMs: longest };
}
