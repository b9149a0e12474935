import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const run = promisify(execFile);

/** Debian's Chromium: the browser every browser test drives. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Starts Debian's headless Chromium, installing the `chromium` package first when it is missing.
 * Resolves to the browser, or to the reason it cannot be had (apt unreachable, no permission).
 */
export async function launchChromium(): Promise<Browser | string> {
  if (!existsSync(CHROMIUM)) {
    try {
      await run('apt-get', ['update'], { timeout: 300_000 });
      await run('apt-get', ['install', '-y', 'chromium'], { timeout: 600_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch (e) {
      const detail = ((e as { stderr?: string }).stderr || (e as Error).message).trim().split('\n').pop();
      return `Debian's chromium is not installed and apt-get could not install it: ${detail}`;
    }
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}
