import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import { promisify } from 'util';
import { launchChromium } from '../harness/chromium';
import { codeServerEntry, node24, testResultsDir, vsixFile } from '../harness/paths';
import { createScratchRun, findFreePort, type ScratchRun } from '../harness/scratch';
import { exitOnSignals, startServer, type ServerProcess } from '../harness/server-process';

/** code-server with the packaged extension installed, and a headless chromium page on its workbench. */
export interface CodeServerSession {
  page: Page;
  run: ScratchRun;
  /** Stops browser and server; keeps their logs in test-results/ when the tests failed. */
  close(failed: boolean): Promise<void>;
}

export async function openCodeServerSession(): Promise<CodeServerSession> {
  for (const required of [codeServerEntry, vsixFile]) {
    if (!fs.existsSync(required)) {
      throw new Error(`${required} is missing: run scripts/install-vscode-server.sh and npm run package first`);
    }
  }
  exitOnSignals(); // so an interrupted mocha still stops code-server through its exit hook
  const run = createScratchRun('ui');
  // A person's setup: no password, nothing that phones home, a fresh profile per run.
  const common = [
    '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--user-data-dir', run.userDataDir, '--extensions-dir', run.extensionsDir,
  ];
  let server: ServerProcess | undefined;
  let browser: BrowserContext | undefined;
  try {
    await promisify(execFile)(node24, [codeServerEntry, ...common, '--install-extension', vsixFile], { env: run.env });
    const port = await findFreePort();
    server = await startServer({
      script: codeServerEntry,
      args: [...common, '--bind-addr', `127.0.0.1:${port}`, run.workspace],
      env: run.env,
      logFile: path.join(run.root, 'code-server.log'),
      readyUrl: `http://127.0.0.1:${port}/healthz`,
    });
    browser = await launchChromium(run);
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(run.workspace)}`, { waitUntil: 'domcontentloaded' });
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
