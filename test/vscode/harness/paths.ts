import * as path from 'path';

/** Where the VS Code test tooling lives; scripts/install-vscode-server.sh fills the cache. */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const cacheDir = process.env.VSCODE_TEST_CACHE ?? path.join(repoRoot, '.vscode-test');

// Keep in step with NODE_VERSION in scripts/install-vscode-server.sh.
export const node24 = path.join(cacheDir, 'node-v24.21.0', 'bin', 'node');
export const codeServerPackage = path.join(cacheDir, 'server', 'node_modules', 'code-server');
/** The plain VS Code server bundled in code-server: it honours --enable-smoke-test-driver. */
export const vscodeServerMain = path.join(codeServerPackage, 'lib', 'vscode', 'out', 'server-main.js');
/** code-server's own entry (auth, --install-extension), used by the UI tests. */
export const codeServerEntry = path.join(codeServerPackage, 'out', 'node', 'entry.js');

export const chromiumExecutable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const userSettingsFile = path.join(__dirname, 'user-settings.json');

/** The in-host mocha suites are bundled here (gitignored, like every out/). */
export const suiteOutDir = path.join(repoRoot, 'out', 'vscode-suite');
export const testResultsDir = path.join(repoRoot, 'test-results');
export const screenshotsDir = path.join(testResultsDir, 'screenshots');
export const vsixFile = path.join(repoRoot, 'dist', 'ganeti-cluster-merge.vsix');
