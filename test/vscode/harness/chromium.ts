import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumExecutable } from './paths';
import type { ScratchRun } from './scratch';

// Debian's chromium, headless, with nothing that would try to reach the internet.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A fresh browser profile inside the run's scratch folder; close() ends the browser. */
export function launchChromium(run: ScratchRun): Promise<BrowserContext> {
  return chromium.launchPersistentContext(run.browserProfile, {
    executablePath: chromiumExecutable,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: chromiumArgs,
    env: run.env as Record<string, string>,
  });
}
