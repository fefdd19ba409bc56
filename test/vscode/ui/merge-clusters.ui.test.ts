import * as assert from 'assert';
import * as manifest from '../../../package.json';
import { openCodeServerSession, type CodeServerSession } from './code-server-session';
import {
  listNotifications,
  openNotificationCenter,
  runCommandFromPalette,
  saveScreenshot,
  waitForNotificationFrom,
  waitForWorkbench,
} from './workbench-page';

// What a person sees: the packaged .vsix installed in code-server, driven through the workbench.
describe('Ganeti: Merge Clusters from the command palette (UI)', function () {
  this.timeout(180_000);
  let session: CodeServerSession | undefined;
  let failed = false;

  before(async () => {
    session = await openCodeServerSession();
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

  it('shows a notification from the extension after running the command', async () => {
    const page = session!.page;
    await openNotificationCenter(page);
    const before = await listNotifications(page);
    assert.deepStrictEqual(before.filter((n) => n.ariaLabel.includes(manifest.displayName)), [], 'a notification from the extension was already there');
    await page.keyboard.press('Escape');

    await runCommandFromPalette(page, `${manifest.contributes.commands[0].category}: ${manifest.contributes.commands[0].title}`);
    const shown = await waitForNotificationFrom(page, manifest.displayName);
    await saveScreenshot(page, 'merge-clusters-notification');
    assert.notStrictEqual(shown.message, '', `empty notification: ${JSON.stringify(shown)}`);
  });
});
