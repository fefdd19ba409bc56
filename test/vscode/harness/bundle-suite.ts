import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot, suiteOutDir } from './paths';

const suiteSourceDir = path.join(repoRoot, 'test', 'vscode', 'suite');

/**
 * Bundles test/vscode/suite (index.ts plus every *.test.ts) into out/vscode-suite, one file per entry,
 * as the extension host loads them: CommonJS, `vscode` from the host, mocha from node_modules.
 * Another folder of the same shape (test/vscode/bench) goes to out/vscode-<its name>.
 * Returns the path of the runner (index.js) to pass as extensionTestsPath.
 */
export async function bundleSuite(sourceDir = suiteSourceDir): Promise<string> {
  const outDir = sourceDir === suiteSourceDir ? suiteOutDir : path.join(repoRoot, 'out', `vscode-${path.basename(sourceDir)}`);
  const entryPoints = fs
    .readdirSync(sourceDir)
    .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
    .map((name) => path.join(sourceDir, name));
  if (!entryPoints.some((entry) => entry.endsWith('.test.ts'))) {
    throw new Error(`no *.test.ts in ${sourceDir}`);
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // For debuggers; the host's own Error.prepareStackTrace ignores it, so failures name out/vscode-suite/*.js
    // lines (unminified, so still readable).
    sourcemap: 'inline',
    // ssh2's optional native helpers are not bundled (it falls back to pure JS), as in esbuild.mjs
    external: ['vscode', 'mocha', 'cpu-features', '*.node'],
    logLevel: 'warning',
  });
  return path.join(outDir, 'index.js');
}
