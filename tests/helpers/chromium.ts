import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`npm run setup:test` installs it): the browser every browser test drives. */
export const CHROMIUM = '/usr/bin/chromium';

/** Starts Debian's headless Chromium; rejects with playwright's own error when it cannot start. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}
