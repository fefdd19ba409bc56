import type { BrowserContext } from 'playwright-core';
import * as fs from 'fs';
import { format } from 'util';

export interface WorkbenchSuiteOptions {
  /** host:port of the VS Code server */
  authority: string;
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  workspace: string;
  /** A .code-workspace file to open instead of the `workspace` folder (a multi-root window). */
  workspaceFile?: string;
  extensionEnvironment: Record<string, string>;
  timeoutMs: number;
  /** Every line the workbench and the extension host log goes here. */
  logFile: string;
  /** Also echo those lines to the console while the suite runs. */
  verbose: boolean;
}

/**
 * Opens the workbench with a test payload, as VS Code's own browser integration tests do: the workbench
 * loads the extension under development, runs extensionTestsPath in the server's extension host, and
 * calls window.codeAutomationExit(code) (enabled by --enable-smoke-test-driver) when the tests end.
 * The workbench's and the host's console arrive through window.codeAutomationLog. Resolves to the exit code.
 */
export async function runSuiteInWorkbench(browser: BrowserContext, options: WorkbenchSuiteOptions): Promise<number> {
  const remote = (file: string): string => `vscode-remote://${options.authority}${file}`;
  const payload = [
    ['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(options.extensionTestsPath)],
    ['extensionEnvironment', JSON.stringify(options.extensionEnvironment)],
    ['skipWelcome', 'true'],
  ];
  const opened = options.workspaceFile ? `workspace=${encodeURIComponent(options.workspaceFile)}` : `folder=${encodeURIComponent(options.workspace)}`;
  const url = `http://${options.authority}/?${opened}` +
    `&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  const page = browser.pages()[0] ?? (await browser.newPage());
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const log = (line: string): void => {
    fs.appendFileSync(options.logFile, line + '\n');
    if (options.verbose) {
      console.log(line);
    }
  };
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => log(`[${type}] ${format(...args)}`));
  await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
  page.on('pageerror', (error) => log(`[page error] ${error.message}`));

  await page.goto(url, { waitUntil: 'domcontentloaded' });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<number>((resolve) => {
    timer = setTimeout(() => {
      console.error(`[run-ext-tests] the extension host did not finish within ${options.timeoutMs / 1000} s`);
      resolve(124);
    }, options.timeoutMs);
  });
  try {
    return await Promise.race([finished, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
