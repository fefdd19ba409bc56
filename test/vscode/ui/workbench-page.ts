import * as fs from 'fs';
import * as path from 'path';
import type { Locator, Page } from 'playwright-core';
import { screenshotsDir } from '../harness/paths';

// Selectors of VS Code 1.139's workbench DOM (tried in code-server 4.139.1).
const paletteInput = '.quick-input-widget .quick-input-box input';
const paletteRow = '.quick-input-widget .monaco-list-row';
const notificationCenter = '.notifications-center';
// A row's aria-label carries the source even while the item is collapsed and hides it.
const notificationRow = '.notifications-center .monaco-list-row';

export interface ShownNotification {
  message: string;
  /** "message, source: Extension Name, notification" as screen readers get it */
  ariaLabel: string;
}

/** Resolves once the workbench has loaded the folder's window: the status bar and activity bar exist. */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
}

/** Runs a command from the palette (F1) by its title, as a person would, and waits for the palette to close. */
export async function runCommandFromPalette(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  await openPaletteCommand(page, title, timeoutMs);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Opens the notification centre (the bell's list), which also holds notifications whose toast has gone. */
export async function openNotificationCenter(page: Page): Promise<void> {
  if (!(await page.locator(notificationCenter).isVisible())) {
    await runCommandFromPalette(page, 'Notifications: Show Notifications');
  }
  await page.locator(notificationCenter).waitFor({ state: 'visible', timeout: 10_000 });
}

/** The notifications listed in the open notification centre, newest first. */
export async function listNotifications(page: Page): Promise<ShownNotification[]> {
  return page.locator(notificationRow).evaluateAll((rows) =>
    rows.map((row) => ({
      message: row.querySelector('.notification-list-item-message')?.textContent?.trim() ?? '',
      ariaLabel: row.getAttribute('aria-label') ?? '',
    })),
  );
}

/** Waits until the notification centre lists a notification from the given extension (by display name). */
export async function waitForNotificationFrom(page: Page, extensionName: string, timeoutMs = 20_000): Promise<ShownNotification> {
  await openNotificationCenter(page);
  const fromExtension = (n: ShownNotification): boolean => n.ariaLabel.includes(`source: ${extensionName}`);
  const deadline = Date.now() + timeoutMs;
  let found = (await listNotifications(page)).find(fromExtension);
  while (!found && Date.now() < deadline) {
    await page.waitForTimeout(250);
    found = (await listNotifications(page)).find(fromExtension);
  }
  if (!found) {
    throw new Error(`no notification from ${extensionName} in the notification centre: ${JSON.stringify(await listNotifications(page))}`);
  }
  return found;
}

/** Saves a screenshot under test-results/screenshots/ (kept by CI) and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Picks a palette command by title without waiting for the quick input to close (the command may
 * open its own). Extension commands appear only once the extension host has read the manifests,
 * so a missing row (or a palette that closed under the test's hands) is retried for a while.
 */
export async function openPaletteCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const input = page.locator(paletteInput);
  const row = page.locator(paletteRow, { hasText: title }).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // the previous pick's palette may still be closing: F1 then finds it, and fill meets a hiding box
    await input.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('>' + title, { timeout: 5_000 });
      await row.waitFor({ state: 'visible', timeout: 3_000 });
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`the command palette never listed "${title}"`, { cause: error });
      }
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1_000);
    }
  }
  await page.keyboard.press('Enter');
}

/** Clicks a button of a notification (toast or notification centre) whose message contains `text`. */
export async function clickNotificationButton(page: Page, text: string, button: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const container of ['.notifications-toasts', '.notifications-center']) {
      const item = page.locator(`${container} .notification-list-item`, { hasText: text }).first();
      const b = item.locator('.monaco-button', { hasText: button }).first();
      if (await b.isVisible().catch(() => false)) {
        await b.click();
        return;
      }
    }
    if (Date.now() > deadline) {
      await saveScreenshot(page, `ui-missing-notification-${button.replace(/\W+/g, '-')}`);
      throw new Error(`no notification "${text}" with a "${button}" button within ${timeoutMs} ms`);
    }
    await page.waitForTimeout(500);
  }
}

/** Clicks a button of the modal dialog whose message contains `text`; returns the dialog's text. */
export async function answerDialog(page: Page, text: string, button: string, timeoutMs: number): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box', { hasText: text }).first();
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  const shown = (await dialog.innerText()).replace(/\s+/g, ' ');
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: button }).first().click();
  await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
  return shown;
}

/** Waits until a status bar item shows `text`. */
export async function waitForStatus(page: Page, text: string, timeoutMs: number): Promise<void> {
  await page.locator('.part.statusbar .statusbar-item', { hasText: text }).first().waitFor({ state: 'visible', timeout: timeoutMs });
}

const wizard = '.quick-input-widget';

/** A row of a tree view (the Ganeti clusters view) with `label`. */
export function treeRow(page: Page, label: string): Locator {
  return page.locator('.pane-body .monaco-list-row', { hasText: label }).first();
}

/** Waits for a wizard step (its title shows "n/3") and picks the row with `label`. */
export async function pickInWizard(page: Page, step: number, label: string, toggle = false): Promise<void> {
  await page.locator(`${wizard} .quick-input-title`, { hasText: `${step}/3` }).waitFor({ state: 'visible', timeout: 60_000 });
  const row = page.locator(paletteRow, { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  if (toggle) {
    // In a multi-select pick a click on the row toggles its check box; the count badge confirms it.
    await row.click();
    const selected = page.locator(`${wizard} .quick-input-count`, { hasText: '1' });
    // The count badge follows the click a moment later: only when it never comes is the check box
    // clicked itself (clicking it while the badge is still on its way would toggle the row back).
    const toggled = await selected.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
    if (!toggled) await row.locator('input[type=checkbox], .quick-input-list-checkbox, [role=checkbox]').first().click({ force: true });
    await selected.waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator(`${wizard} .quick-input-action .monaco-button`, { hasText: 'OK' }).click();
  } else {
    await row.click();
  }
}
