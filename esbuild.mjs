// Builds four bundles: the extension host (cjs, vscode external), the progress panel's and the
// merge plan's webviews (browser iife) and the ganeti-merge CLI. Type checking is `npm run typecheck`.
import * as esbuild from 'esbuild';
import { statSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

// ssh2 optionally loads native helpers; the pure-JS fallbacks are used when they are absent.
const nodeExternals = ['vscode', 'cpu-features', '*.node'];

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals, banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'es2020', minify: true },
  { ...common, entryPoints: ['webview/plan.ts'], outfile: 'dist/plan-webview.js', platform: 'browser', format: 'iife', target: 'es2020', minify: true },
];

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  for (const b of builds) {
    console.log(`${b.outfile.padEnd(20)} ${(statSync(b.outfile).size / 1024).toFixed(1)} KiB`);
  }
}
