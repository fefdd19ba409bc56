import { labUserSettings } from '../../../scripts/demo-settings';
import type { LabInfo } from '../../lab/lab';
import { labOrSkip } from '../suite/lab-or-skip';
import { openCodeServerSession, type CodeServerSession } from './code-server-session';
import { mergeAndRollBack } from './merge-flow';
import { saveScreenshot, waitForWorkbench } from './workbench-page';

// What an operator does, in a real browser on the packaged extension, against the real lab:
// "Merge Clusters" from the palette, the wizard, the diff, approvals, the panel reaching "merged",
// the tree showing the merged cluster, and a rollback from the panel's button.

describe('Merge Clusters against the lab, from the palette to a rollback (UI)', function () {
  this.timeout(1_200_000);
  let session: CodeServerSession | undefined;
  let lab: LabInfo;
  let failed = false;

  before(async function () {
    lab = labOrSkip(this);
    session = await openCodeServerSession(labUserSettings(lab, {}));
    await waitForWorkbench(session.page);
  });

  afterEach(function () {
    failed ||= this.currentTest?.state === 'failed';
  });

  after(async () => {
    if (session && failed) await saveScreenshot(session.page, 'ui-merge-failure').catch(() => undefined);
    await session?.close(failed);
  });

  it('merges the last mergee into the target through the wizard, then rolls it back from the panel', async () => {
    await mergeAndRollBack(session!.page, lab, (name) => saveScreenshot(session!.page, name));
  });
});
