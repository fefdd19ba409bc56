// The extension host loads this file (extensionTestsPath) for the multi-root run of scripts/test-vscode.sh
// (run-ext-tests.ts with VSCODE_TEST_WORKSPACE=multi-root): the same runner as the test suites, over the
// *.test.js bundled beside it (test/vscode/multiroot).
export { run } from '../suite/index';
