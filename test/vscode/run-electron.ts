// Runs the same in-host suite (test/vscode/suite) in desktop VS Code through @vscode/test-electron, for
// machines that can download VS Code. CI and this project's machines use run-ext-tests.ts instead.
// Usage: npm run build && npx tsx test/vscode/run-electron.ts      env: VSCODE_TEST_VERSION (default: stable)
import { runTests } from '@vscode/test-electron';
import * as fs from 'fs';
import { bundleSuite } from './harness/bundle-suite';
import { repoRoot } from './harness/paths';
import { createScratchRun } from './harness/scratch';

async function main(): Promise<void> {
  const extensionTestsPath = await bundleSuite();
  const run = createScratchRun('electron');
  try {
    await runTests({
      version: process.env.VSCODE_TEST_VERSION,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      extensionTestsEnv: Object.fromEntries(
        Object.entries(process.env).filter(([name]) => name.startsWith('VSCODE_TEST_') || name.startsWith('GANETI_')),
      ),
      launchArgs: [
        run.workspace,
        '--user-data-dir', run.userDataDir,
        '--extensions-dir', run.extensionsDir,
        '--disable-workspace-trust',
        '--skip-welcome',
      ],
    });
  } finally {
    fs.rmSync(run.root, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`[run-electron] ${error.message}`);
  process.exit(1);
});
