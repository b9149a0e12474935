import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, launchChromium } from './chromium.js';

/**
 * Debian's headless Chromium with `--enable-unsafe-webgpu`, which gives pages a software
 * (SwiftShader) WebGPU adapter. Installs Chromium first when missing; resolves to the reason when
 * it cannot be had.
 */
export async function launchChromiumWithWebGpu(): Promise<Browser | string> {
  if (!existsSync(CHROMIUM)) {
    const installed = await launchChromium();
    if (typeof installed === 'string') return installed;
    await installed.close();
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--enable-unsafe-webgpu'] });
}
