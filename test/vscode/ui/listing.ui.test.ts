import * as assert from 'assert';
import { readFileSync } from 'fs';
import type { Frame, Page } from 'playwright-core';
import { repoRoot } from '../harness/paths';
import { useCodeServerSession } from './code-server-session';
import { openPaletteCommand, saveScreenshot } from './workbench-page';

// The extension's page in the Extensions view, as a person browsing installed extensions sees it:
// the icon loads from the installed .vsix (the server has no internet) and the README is shown.
describe('The extension page in the Extensions view (UI)', function () {
  this.timeout(180_000);
  const session = useCodeServerSession('ui-failure-listing');

  it('shows the icon and the README', async () => {
    const page = session().page;
    await openPaletteCommand(page, 'Extensions: Show Installed Extensions');
    const row = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Ganeti Cluster Merge' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click();
    const editor = page.locator('.extension-editor');
    await editor.locator('.header .name', { hasText: 'Ganeti Cluster Merge' }).waitFor({ state: 'visible', timeout: 30_000 });
    // name and description come from package.nls.json: a %key% here means it is missing from the .vsix
    assert.match(await editor.locator('.header .description').innerText(), /^Merge Ganeti clusters into a target cluster/);

    const icon = editor.locator('.header .icon-container img.icon');
    await icon.waitFor({ state: 'visible', timeout: 30_000 });
    await waitUntil(page, () => icon.evaluate((img) => (img as unknown as LoadedImage).complete && (img as unknown as LoadedImage).naturalWidth === 128), 'the icon never loaded');

    // VS Code 1.139 renders an extension's README with only http(s) images allowed (relative and data:
    // sources are emptied by its sanitizer), so offline the screenshots show as their alt text: the
    // README itself must be there, with every image it has (counted from the README, not hard-coded).
    const expected = readmeImageAlts();
    assert.ok(expected.length > 0, 'README.md has no images to check');
    const readme = await readmeFrame(page);
    const alts = () => readme.locator('img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('alt') ?? ''));
    await waitUntil(page, async () => (await alts()).length === expected.length, `the README never listed its ${expected.length} images`);
    assert.deepStrictEqual(await alts(), expected);
    await saveScreenshot(page, 'extension-page');
  });
});

/** The alt texts of README.md's images, in order: what the rendered page must show. */
function readmeImageAlts(): string[] {
  const text = readFileSync(`${repoRoot}/README.md`, 'utf8');
  return [...text.matchAll(/!\[([^\]]*)\]\(/g)].map((m) => m[1]);
}

/** The part of an <img> the checks read (the tests compile without the DOM library). */
interface LoadedImage { complete: boolean; naturalWidth: number }

/** The README is rendered in a webview: an iframe inside an iframe; find the one holding its text. */
async function readmeFrame(page: Page): Promise<Frame> {
  let found: Frame | undefined;
  await waitUntil(page, async () => {
    for (const frame of page.frames()) {
      if (await frame.locator('text=Ganeti Cluster Merge for VS Code').count().catch(() => 0)) {
        found = frame;
        return true;
      }
    }
    return false;
  }, 'the README never rendered');
  return found!;
}

async function waitUntil(page: Page, check: () => Promise<boolean>, message: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(message);
    await page.waitForTimeout(250);
  }
}
