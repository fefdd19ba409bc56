import * as fs from 'fs';
import * as path from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../harness/chromium';
import { startCodeServer } from '../harness/code-server';
import { testResultsDir, vsixFile } from '../harness/paths';
import { createScratchRun, findFreePort, type ScratchRun } from '../harness/scratch';
import { exitOnSignals, type ServerProcess } from '../harness/server-process';
import { saveScreenshot, waitForWorkbench } from './workbench-page';

/** code-server with the packaged extension installed, and a headless chromium page on its workbench. */
export interface CodeServerSession {
  page: Page;
  run: ScratchRun;
  /** Stops browser and server; keeps their logs in test-results/ when the tests failed. */
  close(failed: boolean): Promise<void>;
}

/** `settings` may add user settings (e.g. the lab's clusters) to the run's fresh profile. */
export async function openCodeServerSession(settings: Record<string, unknown> = {}): Promise<CodeServerSession> {
  exitOnSignals(); // so an interrupted mocha still stops code-server through its exit hook
  const run = createScratchRun('ui');
  const settingsFile = path.join(run.userDataDir, 'User', 'settings.json');
  fs.writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(settingsFile, 'utf8')), ...settings }, null, 2) + '\n');
  let server: ServerProcess | undefined;
  let browser: BrowserContext | undefined;
  try {
    // A person's setup on a private port: no password, a fresh profile per run.
    const started = await startCodeServer({ run, vsix: vsixFile, port: await findFreePort(), auth: { kind: 'none' } });
    server = started;
    browser = await launchChromium(run);
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(started.url, { waitUntil: 'domcontentloaded' });
    const openBrowser = browser;
    const openServer = server;
    return {
      page,
      run,
      close: async (failed: boolean) => {
        await openBrowser.close();
        await openServer.stop();
        if (failed) {
          fs.mkdirSync(testResultsDir, { recursive: true });
          fs.copyFileSync(openServer.logFile, path.join(testResultsDir, 'vscode-ui-code-server.log'));
        }
        if (process.env.VSCODE_TEST_KEEP_RUN !== '1') {
          run.remove();
        }
      },
    };
  } catch (error) {
    await browser?.close();
    await server?.stop();
    run.remove();
    throw error;
  }
}

/**
 * Mocha hooks for a suite on one session: opened (workbench loaded) before its tests, closed after
 * them, with a screenshot named `failureName` and the server log kept when a test failed.
 */
export function useCodeServerSession(failureName: string, settings: Record<string, unknown> = {}): () => CodeServerSession {
  let session: CodeServerSession | undefined;
  let failed = false;
  before(async () => {
    session = await openCodeServerSession(settings);
    await waitForWorkbench(session.page);
  });
  afterEach(function () {
    failed ||= this.currentTest?.state === 'failed';
  });
  after(async () => {
    if (session && failed) await saveScreenshot(session.page, failureName).catch(() => undefined);
    await session?.close(failed);
  });
  return () => session!;
}
