/**
 * Renders media/icon.svg to media/icon.png (128x128), the extension's listing icon: vsce refuses an
 * SVG there. Uses the headless chromium the UI tests use. Run after editing the SVG:
 *   node --import tsx scripts/render-icon.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumExecutable } from '../test/vscode/harness/paths';

const MEDIA = path.resolve(__dirname, '../media');

async function main(): Promise<void> {
  const svg = fs.readFileSync(path.join(MEDIA, 'icon.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath: chromiumExecutable });
  try {
    const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: path.join(MEDIA, 'icon.png'), omitBackground: true });
  } finally {
    await browser.close();
  }
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
