import * as assert from 'assert';
import { openCodeServerSession, type CodeServerSession } from './code-server-session';
import { openPaletteCommand, pickInWizard, saveScreenshot, waitForWorkbench } from './workbench-page';

// What a person sees: the packaged .vsix installed in code-server, driven through the workbench.
// (The whole merge against the lab is merge-lab.ui.test.ts.)
describe('Ganeti: Merge Clusters from the command palette (UI)', function () {
  this.timeout(180_000);
  let session: CodeServerSession | undefined;
  let failed = false;

  before(async () => {
    session = await openCodeServerSession({ 'ganetiMerge.clusters': [{ name: 'prod', host: 'prod.example.com' }, { name: 'old', host: 'old.example.com' }] });
    await waitForWorkbench(session.page);
  });

  afterEach(function () {
    failed ||= this.currentTest?.state === 'failed';
  });

  after(async () => {
    if (session && failed) {
      await saveScreenshot(session.page, 'ui-failure').catch(() => undefined);
    }
    await session?.close(failed);
  });

  it('walks the wizard: step 1 lists the configured clusters, step 2 the others, step 3 the options; Escape leaves it', async () => {
    const page = session!.page;
    await openPaletteCommand(page, 'Ganeti: Merge Clusters');
    const title = page.locator('.quick-input-widget .quick-input-title', { hasText: '1/3' });
    await title.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await title.innerText(), /Merge Clusters/);
    const rows = await page.locator('.quick-input-widget .monaco-list-row').allInnerTexts();
    assert.ok(rows.some((r) => r.includes('prod') && r.includes('prod.example.com')), rows.join(' | '));
    assert.ok(rows.some((r) => r.includes('Enter a host')), rows.join(' | '));
    await saveScreenshot(page, 'merge-wizard-target');
    await pickInWizard(page, 1, 'prod');
    await pickInWizard(page, 2, 'old', true);
    await page.locator('.quick-input-widget .quick-input-title', { hasText: '3/3' }).waitFor({ state: 'visible', timeout: 30_000 });
    const options = await page.locator('.quick-input-widget .monaco-list-row').allInnerTexts();
    assert.ok(options.some((r) => r.includes('Start preflight') && r.includes('old into prod')), options.join(' | '));
    assert.ok(options.some((r) => r.includes('Restart instances: all')), options.join(' | '));
    await saveScreenshot(page, 'merge-wizard-options');
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  });
});
