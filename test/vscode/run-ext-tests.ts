// Runs the in-host mocha suites (test/vscode/suite) inside a real VS Code extension host, the way
// @vscode/test-electron does, but through the VS Code server bundled in code-server and headless
// chromium, since no desktop VS Code can be downloaded here. Expects `npm run build` (dist/extension.js)
// and scripts/install-vscode-server.sh. Exits with the suite's status.
// Usage: npx tsx test/vscode/run-ext-tests.ts
// env: VSCODE_TEST_GREP (mocha grep), VSCODE_TEST_VERBOSE=1 (echo the workbench log), VSCODE_TEST_KEEP_RUN=1,
// VSCODE_TEST_SUITE_TIMEOUT_SECONDS (default 300), VSCODE_TEST_SUITE_DIR (another folder of in-host suites, e.g. test/vscode/bench for npm run bench:vscode),
// VSCODE_TEST_WORKSPACE=multi-root (open a .code-workspace of two folders, site-a and site-b, instead of one folder)
import * as fs from 'fs';
import * as path from 'path';
import { bundleSuite } from './harness/bundle-suite';
import { launchChromium } from './harness/chromium';
import { repoRoot, testResultsDir, vscodeServerMain } from './harness/paths';
import { createScratchRun, findFreePort, type ScratchRun } from './harness/scratch';
import { exitOnSignals, startServer } from './harness/server-process';
import { runSuiteInWorkbench } from './harness/workbench-suite';

const suiteTimeoutMs = Number(process.env.VSCODE_TEST_SUITE_TIMEOUT_SECONDS ?? 300) * 1000;

async function main(): Promise<number> {
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  for (const required of [vscodeServerMain, path.join(repoRoot, 'dist', 'extension.js')]) {
    if (!fs.existsSync(required)) {
      throw new Error(`${required} is missing: run scripts/install-vscode-server.sh and npm run build first`);
    }
  }
  const suiteDir = process.env.VSCODE_TEST_SUITE_DIR;
  const testsPath = await bundleSuite(suiteDir ? path.resolve(suiteDir) : undefined);
  console.log(`[run-ext-tests] suite bundled (${elapsed()})`);

  const run = createScratchRun('ext');
  const port = await findFreePort();
  const server = await startServer({
    script: vscodeServerMain,
    args: [
      '--host', '127.0.0.1', '--port', String(port),
      '--without-connection-token', '--accept-server-license-terms', '--disable-telemetry',
      '--enable-smoke-test-driver',
      '--server-data-dir', run.serverDataDir,
      '--user-data-dir', run.userDataDir,
      '--extensions-dir', run.extensionsDir,
    ],
    env: run.env,
    logFile: path.join(run.root, 'server.log'),
    readyUrl: `http://127.0.0.1:${port}/`,
  });
  console.log(`[run-ext-tests] VS Code server listening on ${port} (${elapsed()})`);

  const reportFile = path.join(run.root, 'mocha-report.txt');
  const workbenchLog = path.join(run.root, 'workbench.log');
  let code = 1;
  try {
    const browser = await launchChromium(run);
    try {
      code = await runSuiteInWorkbench(browser, {
        authority: `127.0.0.1:${port}`,
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: testsPath,
        workspace: run.workspace,
        workspaceFile: process.env.VSCODE_TEST_WORKSPACE === 'multi-root' ? multiRootWorkspace(run) : undefined,
        extensionEnvironment: { ...passThroughEnvironment(), VSCODE_TEST_REPORT_FILE: reportFile },
        timeoutMs: suiteTimeoutMs,
        logFile: workbenchLog,
        verbose: process.env.VSCODE_TEST_VERBOSE === '1',
      });
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
    printReport(reportFile, workbenchLog);
    keepOrRemove(run, code);
  }
  console.log(`[run-ext-tests] exit code ${code} (${elapsed()})`);
  return code;
}

/** A .code-workspace with two folders (site-a, site-b) inside the run's workspace folder; returns its path. */
function multiRootWorkspace(run: ScratchRun): string {
  const folders = ['site-a', 'site-b'].map((name) => {
    fs.mkdirSync(path.join(run.workspace, name), { recursive: true });
    return { path: name };
  });
  const file = path.join(run.workspace, 'sites.code-workspace');
  fs.writeFileSync(file, JSON.stringify({ folders, settings: {} }, null, 2) + '\n');
  return file;
}

/** Variables the suites read, forwarded into the extension host. */
function passThroughEnvironment(): Record<string, string> {
  const forwarded: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    // GCM_LAB_*: which lab (state, netns, subnet) the suites use; without them they would read the default lab's
    if (value !== undefined && (name.startsWith('VSCODE_TEST_') || name.startsWith('GANETI_') || name.startsWith('GCM_LAB_'))) {
      forwarded[name] = value;
    }
  }
  return forwarded;
}

function printReport(reportFile: string, workbenchLog: string): void {
  if (fs.existsSync(reportFile)) {
    process.stdout.write(fs.readFileSync(reportFile, 'utf8'));
    return;
  }
  // The suite never reported: the host failed to start or to load it; the workbench log says why.
  console.error('[run-ext-tests] the suite produced no report; last lines of the workbench log:');
  const lines = fs.existsSync(workbenchLog) ? fs.readFileSync(workbenchLog, 'utf8').split('\n') : [];
  console.error(lines.slice(-40).join('\n'));
}

/** On failure the server and workbench logs goes to test-results/ (kept by CI); the scratch folder is removed unless asked. */
function keepOrRemove(run: ScratchRun, code: number): void {
  if (code !== 0) {
    fs.mkdirSync(testResultsDir, { recursive: true });
    for (const log of ['server.log', 'workbench.log']) {
      const file = path.join(run.root, log);
      if (fs.existsSync(file)) {
        fs.copyFileSync(file, path.join(testResultsDir, `vscode-ext-tests-${log}`));
      }
    }
  }
  if (process.env.VSCODE_TEST_KEEP_RUN === '1') {
    console.log(`[run-ext-tests] kept ${run.root}`);
  } else {
    run.remove();
  }
}

exitOnSignals();
main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`[run-ext-tests] ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
