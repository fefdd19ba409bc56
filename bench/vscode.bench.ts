/**
 * npm run bench:vscode: the editor-side figures, in the VS Code server (not part of npm test).
 *   1. `npm run package`: the production build and the .vsix, whose size is a figure;
 *   2. test/vscode/bench in the server's extension host (the harness of test/vscode/run-ext-tests.ts),
 *      on that production build: activation, the Clusters view with 5,000 instances, a 20 MB diff.
 * Prints a table against the targets; exits non-zero when one is missed or a step failed.
 * Needs what the in-host tests need: scripts/install-vscode-server.sh (VSCODE_TEST_CACHE) and chromium.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Figure } from '../test/vscode/bench/figures.test';
import { repoRoot, vsixFile } from '../test/vscode/harness/paths';

const MB = 1024 * 1024;
type Row = [name: string, value: string, target: string, pass: boolean | null];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

const ms = (values: readonly number[]) => values.map((v) => `${v.toFixed(v < 10 ? 1 : 0)} ms`).join(', ');

/** A figure's row: its worst run is the one held against the target. */
function row(figures: Map<string, Figure>, id: Figure['id'], name: string, targetMs?: number): Row {
  const figure = figures.get(id);
  if (!figure) return [name, 'not measured (the in-host bench failed)', targetMs ? `<= ${targetMs} ms` : '', targetMs ? false : null];
  const worst = Math.max(...figure.ms);
  return [name, `${ms(figure.ms)} (${figure.note})`, targetMs ? `<= ${targetMs} ms` : '', targetMs ? worst <= targetMs : null];
}

function main(): number {
  run('npm', ['run', '--silent', 'package']);
  const vsixBytes = fs.statSync(vsixFile).size;

  const benchFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-bench-vscode-')), 'figures.jsonl');
  let hostFailed = false;
  try {
    fs.writeFileSync(benchFile, '');
    try {
      run(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), [path.join('test', 'vscode', 'run-ext-tests.ts')], {
        ...process.env, VSCODE_TEST_SUITE_DIR: path.join('test', 'vscode', 'bench'), VSCODE_TEST_BENCH_FILE: benchFile,
        // Two opens of the 20 MB diff took over 2 min each on the loaded 2-core machine.
        VSCODE_TEST_SUITE_TIMEOUT_SECONDS: process.env.VSCODE_TEST_SUITE_TIMEOUT_SECONDS ?? '1200',
      });
    } catch (err) {
      console.error(`[bench:vscode] ${(err as Error).message}`);
      hostFailed = true;
    }
    const figures = new Map(fs.readFileSync(benchFile, 'utf8').split('\n').filter(Boolean)
      .map((line) => JSON.parse(line) as Figure).map((f) => [f.id, f] as const));
    const rows: Row[] = [
      row(figures, 'activation', 'activation', 100),
      row(figures, 'activation-load', '  bundle load (information)'),
      row(figures, 'tree', 'Clusters view, 5,000 instances', 1000),
      row(figures, 'diff', '20 MB merged config.data diff', 2000),
      row(figures, 'diff-resolved', '  showPreview resolved (info)'),
      row(figures, 'diff-documents', '  both documents open (info)'),
      row(figures, 'diff-text', '  both sides\' text (information)'),
      ['.vsix size', `${(vsixBytes / MB).toFixed(2)} MB (${vsixBytes} bytes)`, '<= 1.5 MB', vsixBytes <= 1.5 * MB],
    ];
    console.log(`\nload average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
    for (const [name, value, target, pass] of rows) {
      console.log(`${name.padEnd(32)} ${value.padEnd(100)} ${target.padEnd(11)} ${pass === null ? '' : pass ? 'PASS' : 'FAIL'}`);
    }
    return !hostFailed && rows.every((r) => r[3] !== false) ? 0 : 1;
  } finally {
    fs.rmSync(path.dirname(benchFile), { recursive: true, force: true });
  }
}

process.exitCode = main();
