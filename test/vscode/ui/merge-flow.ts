// The operator's whole path in the browser, shared by the UI suite and the demo's test: Merge
// Clusters from the palette (wizard), Run All Phases, approve the config diff, pass the point of no
// return, see "merged" in the panel and the mergee's node in the target's tree, Roll Back from the panel.
import * as assert from 'assert';
import type { FrameLocator, Page } from 'playwright-core';
import type { LabInfo } from '../../lab/lab';
import { answerDialog, clickNotificationButton, openPaletteCommand, pickInWizard, treeRow as treeRowOf, waitForStatus } from './workbench-page';

const quickInput = '.quick-input-widget';

function progressPanel(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
}

/** Click into the transcript, wait for the panel to take new lines, and check the focus is still on it. */
async function keepsFocusAcrossUpdates(panel: FrameLocator): Promise<void> {
  const transcript = panel.locator('pre.transcript');
  const read = () => transcript.evaluate((e) => ({ text: e.textContent ?? '', focused: e.ownerDocument.activeElement === e }));
  await transcript.click();
  const before = await read();
  assert.ok(before.focused, 'a click did not put the keyboard focus on the transcript');
  const deadline = Date.now() + 120_000;
  for (let now = before; now.text === before.text; now = await read()) {
    assert.ok(Date.now() < deadline, 'the progress panel took no new transcript line within 120 s after the rollback started');
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok((await read()).focused, 'the progress panel lost keyboard focus on an update');
}

/** Merges the lab's last mergee into its target through the UI, then rolls it back; `shot` names screenshots. */
export async function mergeAndRollBack(page: Page, lab: LabInfo, shot: (name: string) => Promise<unknown>): Promise<void> {
  const short = (name: string) => lab.clusters.find((c) => c.name === name)!.shortName;
  const target = short(lab.targetCluster);
  const mergee = short(lab.mergeeClusters[lab.mergeeClusters.length - 1]);

  // the Clusters view lists the lab's clusters
  await openPaletteCommand(page, 'Ganeti: Focus on Clusters View');
  const treeRow = (label: string) => treeRowOf(page, label);
  for (const c of lab.clusters) await treeRow(c.shortName).waitFor({ state: 'visible', timeout: 60_000 });

  await openPaletteCommand(page, 'Ganeti: Merge Clusters');
  await pickInWizard(page, 1, target);
  await pickInWizard(page, 2, mergee, true);
  await page.locator(`${quickInput} .quick-input-title`, { hasText: '3/3' }).waitFor({ state: 'visible', timeout: 30_000 });
  await shot('merge-wizard-options');
  await pickInWizard(page, 3, 'Start preflight');

  // preflight passes; the diff of the merged config is open; run everything
  await clickNotificationButton(page, 'Preflight of the merge', 'Run All Phases', 180_000);
  await page.locator('.tab', { hasText: 'merged with' }).first().waitFor({ state: 'visible', timeout: 30_000 });
  const merge = await answerDialog(page, 'Merge', 'Merge', 30_000);
  assert.ok(merge.includes(mergee) || merge.includes(lab.mergeeClusters.at(-1)!), `the confirmation does not name the mergee: ${merge}`);

  // the approval gate: the config diff about to be written, then Ganeti's point of no return
  await clickNotificationButton(page, 'Review the merged config.data', 'Approve and Write', 300_000);
  await shot('merge-approval-diff');
  const ponr = await answerDialog(page, 'point of no return', 'Proceed', 300_000);
  assert.match(ponr, /point of no return/);

  await waitForStatus(page, 'Ganeti: merged', 600_000);
  await openPaletteCommand(page, 'Ganeti: Show Merge Progress');
  const panel = progressPanel(page);
  await panel.locator('.outcome.merged').waitFor({ state: 'visible', timeout: 30_000 });
  assert.strictEqual(await panel.locator('tr[data-phase] td.state.done').count(), 18);
  await shot('merge-progress-merged');

  // the tree shows the mergee's node in the target cluster now
  await openPaletteCommand(page, 'Ganeti: Refresh');
  await openPaletteCommand(page, 'Ganeti: Focus on Clusters View');
  await treeRow(target).click();
  await page.keyboard.press('ArrowRight');
  await treeRow('Nodes').first().click();
  await page.keyboard.press('ArrowRight');
  const mergeeNode = lab.nodes.find((n) => n.cluster === lab.mergeeClusters.at(-1))!.name;
  await treeRow(mergeeNode).waitFor({ state: 'visible', timeout: 60_000 });
  await shot('cluster-tree-merged');

  // roll back from the panel's button
  await openPaletteCommand(page, 'Ganeti: Show Merge Progress');
  await panel.locator('vscode-button[data-action="rollBack"]').click();
  await answerDialog(page, 'Roll back the merge', 'Roll Back', 30_000);
  // keyboard focus stays where the operator put it while the panel updates (each update re-renders it)
  await keepsFocusAcrossUpdates(panel);
  await waitForStatus(page, 'Ganeti: rolled back', 600_000);
  await panel.locator('.outcome.rolled-back').waitFor({ state: 'visible', timeout: 30_000 });
  await shot('merge-rolled-back');
}
