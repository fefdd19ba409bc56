// The extension host loads this file (extensionTestsPath) for npm run bench:vscode: the same runner
// as the test suites, over the *.test.js bundled beside it (test/vscode/bench).
export { run } from '../suite/index';
