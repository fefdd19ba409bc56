// The operator's whole path in the browser, shared by the UI suite and the demo's test: Merge
// Clusters from the palette (wizard), Run All Phases, approve the config diff, pass the point of no
// return, see "merged" in the panel and the mergee's node in the target's tree, Roll Back from the panel.
import * as assert from 'assert';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import manifest from '../../../package.json';
import type { LabInfo } from '../../lab/lab';
import { answerDialog, clickNotificationButton, openNotificationCenter, openPaletteCommand, pickInWizard, treeRow as treeRowOf, waitForStatus } from './workbench-page';

const quickInput = '.quick-input-widget';
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

function progressPanel(page: Page): FrameLocator {
  // ours among the webviews (the merge plan's panel is ours too, but it closes with the approval,
  // before this panel is looked at again): VS Code names the extension in the src
  return page.frameLocator(`iframe.webview[src*="extensionId=${EXTENSION_ID}"]`).frameLocator('iframe#active-frame');
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

/**
 * Waits for the merge plan's panel (opened with the approval), follows its first link naming a lab
 * host, and checks the merged side of the diff then shows that object's line (it did not before).
 */
async function followPlanLink(page: Page, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let link: Locator | undefined;
  while (!link) {
    for (const frame of page.frames()) {
      const candidate = frame.locator('a[data-link]', { hasText: /\.glab\.test/ }).first();
      if (await candidate.count().catch(() => 0)) {
        link = candidate;
        break;
      }
    }
    assert.ok(link || Date.now() < deadline, 'the merge plan never opened beside the approval diff');
    if (!link) await new Promise((r) => setTimeout(r, 500));
  }
  const name = (await link.innerText()).trim();
  const shown = page.locator('.monaco-diff-editor .editor.modified .view-line', { hasText: name });
  assert.strictEqual(await shown.count(), 0, `${name} was already in view before its plan link was followed`);
  await link.click();
  await shown.first().waitFor({ state: 'visible', timeout: 30_000 });
}

interface EnabledActions {
  run: string[];
  undo: string[];
}

/** The phases whose Run and Undo buttons the panel shows enabled. */
async function enabledActions(panel: FrameLocator): Promise<EnabledActions> {
  // (no named functions inside evaluateAll: tsx's __name helper does not exist in the page)
  const enabled = (action: string) => panel.locator('tr[data-phase]').evaluateAll((rows, a) => rows
    .filter((r) => { const b = r.querySelector(`vscode-button[data-action="${a}"]`); return b !== null && !b.hasAttribute('disabled'); })
    .map((r) => r.getAttribute('data-phase') ?? ''), action);
  return { run: await enabled('runPhase'), undo: await enabled('undoPhase') };
}

/**
 * Waits until the panel's enabled Run/Undo buttons are `expected` (the engine's answer, rendered
 * once the panel has its state), then checks a disabled button carries the engine's reason.
 */
async function expectActions(panel: FrameLocator, expected: EnabledActions, refused: { phase: string; action: 'runPhase' | 'undoPhase'; reason: RegExp }, when: string): Promise<void> {
  await panel.locator('tr[data-phase]').first().waitFor({ state: 'visible', timeout: 30_000 });
  const deadline = Date.now() + 30_000;
  let seen = await enabledActions(panel);
  while (JSON.stringify(seen) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    seen = await enabledActions(panel);
  }
  assert.deepStrictEqual(seen, expected, `enabled Run/Undo ${when}`);
  const title = await panel.locator(`tr[data-phase="${refused.phase}"] vscode-button[data-action="${refused.action}"]`).getAttribute('title');
  assert.match(title ?? '', refused.reason, `the reason on ${refused.phase}'s disabled ${refused.action} ${when}`);
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
  // the target's nodes listed before the merge: the listing must renew itself when the merge ends
  await treeRow(target).click();
  await page.keyboard.press('ArrowRight');
  await treeRow('Nodes').first().click();
  await page.keyboard.press('ArrowRight');
  const targetNode = lab.nodes.find((n) => n.cluster === lab.targetCluster)!.name;
  await treeRow(targetNode).waitFor({ state: 'visible', timeout: 60_000 });
  // its node groups and networks as the lab shapes them (two groups, two networks); folded again
  // after the screenshot, so the rows the later steps look for stay in the rendered part of the list
  for (const [folder, row] of [['Node Groups', 'rack2'], ['Networks', 'backnet']]) {
    await treeRow(folder).click();
    await page.keyboard.press('ArrowRight');
    await treeRow(row).waitFor({ state: 'visible', timeout: 60_000 });
  }
  await shot('cluster-tree-groups-networks');
  for (const folder of ['Networks', 'Node Groups']) {
    await treeRow(folder).click();
    await page.keyboard.press('ArrowLeft');
  }

  await openPaletteCommand(page, 'Ganeti: Merge Clusters');
  await pickInWizard(page, 1, target);
  await pickInWizard(page, 2, mergee, true);
  await page.locator(`${quickInput} .quick-input-title`, { hasText: '3/3' }).waitFor({ state: 'visible', timeout: 30_000 });
  await shot('merge-wizard-options');
  await pickInWizard(page, 3, 'Start preflight');

  // preflight passes; the diff of the merged config (the engine's preview) opens
  await page.locator('.tab', { hasText: 'merged with' }).first().waitFor({ state: 'visible', timeout: 180_000 });
  // before the point of no return: Run only on the next phase, Undo only on the one that ran
  await openPaletteCommand(page, 'Ganeti: Show Merge Progress');
  const panel = progressPanel(page);
  await expectActions(panel, { run: ['verify-target'], undo: ['preflight'] },
    { phase: 'write-config', action: 'runPhase', reason: /cannot run before verify-target is done/ }, 'after preflight');
  await shot('merge-progress-after-preflight');
  // then run everything
  await openNotificationCenter(page);
  await clickNotificationButton(page, 'Preflight of the merge', 'Run All Phases', 60_000);
  const merge = await answerDialog(page, 'Merge', 'Merge', 30_000);
  assert.ok(merge.includes(mergee) || merge.includes(lab.mergeeClusters.at(-1)!), `the confirmation does not name the mergee: ${merge}`);

  // the approval gate: the config diff about to be written, with the plan beside it (a link shows
  // its object in the diff), then Ganeti's point of no return
  await followPlanLink(page, 300_000);
  await shot('merge-approval-diff');
  await clickNotificationButton(page, 'Review the merged config.data', 'Approve and Write', 300_000);
  const ponr = await answerDialog(page, 'point of no return', 'Proceed', 300_000);
  assert.match(ponr, /point of no return/);

  await waitForStatus(page, 'Ganeti: merged', 600_000);
  await openPaletteCommand(page, 'Ganeti: Show Merge Progress');
  await panel.locator('.outcome.merged').waitFor({ state: 'visible', timeout: 30_000 });
  assert.strictEqual(await panel.locator('tr[data-phase] td.state.done').count(), 18);
  // past the point of no return: nothing to run, no single phase to undo (only Roll Back)
  await expectActions(panel, { run: [], undo: [] },
    { phase: 'cleanup', action: 'undoPhase', reason: /point of no return/ }, 'after the merge');
  assert.strictEqual(await panel.locator('vscode-button[data-action="rollBack"]').getAttribute('disabled'), null, 'Roll Back is disabled after the merge');
  await shot('merge-progress-merged');

  // the tree, listed before the merge and not refreshed by hand, shows the re-added nodes online
  await openPaletteCommand(page, 'Ganeti: Focus on Clusters View');
  for (const node of lab.nodes.filter((n) => n.cluster === lab.mergeeClusters.at(-1))) {
    const row = treeRow(node.name);
    await row.waitFor({ state: 'visible', timeout: 60_000 });
    const text = await row.innerText();
    assert.doesNotMatch(text, /offline/, `${node.name} is listed offline after the merge: ${text}`);
    assert.match(text, /regular|master candidate/, `${node.name}'s role after the merge: ${text}`);
  }
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
