// The extension host loads this file (extensionTestsPath) and awaits run(): it runs every bundled
// *.test.js beside it with mocha and rejects when a test fails, which makes the host exit non-zero.
import * as fs from 'fs';
import * as path from 'path';
import { format } from 'util';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: 30_000,
    grep: process.env.VSCODE_TEST_GREP || undefined,
  });
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) {
      mocha.addFile(path.join(__dirname, file));
    }
  }
  const failures = await withReportCopiedTo(process.env.VSCODE_TEST_REPORT_FILE, () =>
    new Promise<number>((resolve) => mocha.run(resolve)),
  );
  if (failures > 0) {
    throw new Error(`${failures} test(s) failed`);
  }
}

/**
 * In the browser-driven runner the host's console is mixed with the workbench's own logging, so the
 * reporter's lines are also appended to a file the runner prints once the host has exited.
 */
async function withReportCopiedTo<T>(reportFile: string | undefined, body: () => Promise<T>): Promise<T> {
  const base = Mocha.reporters.Base;
  const consoleLog = base.consoleLog;
  if (reportFile) {
    base.consoleLog = (...data: unknown[]) => {
      fs.appendFileSync(reportFile, format(...data) + '\n');
      consoleLog(...data);
    };
  }
  try {
    return await body();
  } finally {
    base.consoleLog = consoleLog;
  }
}
