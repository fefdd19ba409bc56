// The editor-side figures of npm run bench:vscode, measured inside the VS Code server's extension
// host. Each figure is appended as one JSON line to VSCODE_TEST_BENCH_FILE; bench/vscode.bench.ts
// prints them against their targets. Big inventories come from the unit tests' scripted runner, so
// only the editor side is measured (no ssh, no Ganeti).
import * as assert from 'assert';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { MergeEngine } from '../../../src/core/merger/engine';
import { Journal } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS } from '../../../src/core/merger/types';
import { fullRollback, standardPhases } from '../../../src/core/phases';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import type { RemoteCommand } from '../../../src/core/remote/command';
import { LIST_SEPARATOR } from '../../../src/core/remote/commands/list-output';
import { ScriptedRunner } from '../../../src/core/remote/scripted-runner';
import { ClusterTreeProvider } from '../../../src/ui/cluster-tree';
import type { ClusterTreeNode } from '../../../src/ui/cluster-tree-items';
import { generateCluster } from '../../unit/config/generator';
import { scriptedClusters } from '../../unit/merger/scripted-clusters';
import { extensionApi, extensionId } from '../suite/extension-api';

export interface Figure {
  readonly id: 'activation' | 'activation-load' | 'tree' | 'diff' | 'diff-text' | 'diff-resolved' | 'diff-documents';
  readonly ms: number[];
  readonly note: string;
}

function record(figure: Figure): void {
  const file = process.env.VSCODE_TEST_BENCH_FILE;
  if (!file) throw new Error('VSCODE_TEST_BENCH_FILE is not set: run npm run bench:vscode');
  fs.appendFileSync(file, JSON.stringify(figure) + '\n');
}

const INSTANCES = 5_000;
/** Two clusters of this many nodes (20 instances each) make a merged config.data of about 20 MB. */
const DIFF_NODES = 330;
const MIN_MERGED_BYTES = 20_000_000;

describe('bench: extension activation', () => {
  it('activate(): its own start to its end, and a fresh load of the bundle it runs from', async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `extension ${extensionId} is not installed in this host`);
    const api = await extensionApi();
    assert.ok(api.activationMs > 0, 'activate() reported no time');
    // Loading the bundle registers nothing (activate() does): a second copy shows what loading it costs.
    const main = path.join(extension.extensionPath, 'dist', 'extension.js');
    const load = createRequire(main);
    const cached = load.cache[main];
    delete load.cache[main];
    const started = performance.now();
    load(main);
    const loadMs = performance.now() - started;
    if (cached) load.cache[main] = cached;
    record({ id: 'activation', ms: [api.activationMs], note: 'activate() body, timed by the extension at its start and end' });
    record({ id: 'activation-load', ms: [loadMs], note: 'require() of dist/extension.js again in the host (warm file cache)' });
  });
});

describe('bench: Clusters view, 5,000 instances under one cluster', () => {
  it('expanding Instances: getChildren (scripted gnt-instance list, parsed) to every row\'s TreeItem', async () => {
    const stdout = Array.from({ length: INSTANCES }, (_, i) =>
      [`inst${String(i).padStart(5, '0')}.example.com`, i % 7 === 0 ? 'ADMIN_down' : 'running', `node${i % 50}.example.com`].join(LIST_SEPARATOR),
    ).join('\n') + '\n';
    const scripted = new ScriptedRunner((_host, argv) => (argv[0] === 'gnt-instance' ? { stdout } : undefined));
    const runner = { run: <T>(host: string, command: RemoteCommand<T>) => scripted.run(host, command) };
    const runs: number[] = [];
    for (let round = 0; round < 3; round++) {
      const tree = new ClusterTreeProvider(() => [{ name: 'big', host: 'big.example' }], runner);
      const [cluster] = await tree.getChildren();
      const folders = await tree.getChildren(cluster);
      const instances = folders.find((f) => f.kind === 'folder' && f.folder === 'instances') as ClusterTreeNode;
      const started = performance.now();
      const rows = await tree.getChildren(instances);
      const items = rows.map((row) => tree.getTreeItem(row));
      runs.push(performance.now() - started);
      assert.strictEqual(items.length, INSTANCES);
      assert.strictEqual(items[0].label, 'inst00000.example.com');
      tree.dispose();
    }
    record({ id: 'tree', ms: runs, note: `${INSTANCES} rows, 3 expands (in-host; the workbench's own paint is not timed)` });
  });
});

describe('bench: merged config.data diff of about 20 MB', function () {
  this.timeout(600_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-bench-'));

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('showPreview (the approval\'s diff) until the diff editor is visible', async () => {
    const configs = ['alpha', 'beta'].map((name, i) => generateCluster({
      name, nodes: DIFF_NODES, instancesPerNode: 20, version: 3000000, seed: 100 + i, drbdFraction: 0.1, withNetwork: true, ipBase: `10.${10 + i}`,
    }));
    const journal = Journal.create(path.join(dir, 'merge.json'), { ...DEFAULT_PLAN_OPTIONS, groups: 'merge', networks: 'rename', target: 'alpha', mergees: ['beta'] });
    const engine = new MergeEngine({ journal, runner: new ScriptedRunner(scriptedClusters(configs)), prompter: new ScriptedPrompter({}), phases: standardPhases(), fullRollback });
    await engine.runPhase('preflight'); // done or refused: the preview is kept either way
    const preview = engine.preview();
    assert.ok(preview?.ok, `preflight refused the generated merge: ${JSON.stringify(preview?.findings.filter((f) => f.severity === 'error').slice(0, 3))}`);
    const mergedBytes = Buffer.byteLength(preview.text('merged'));
    assert.ok(mergedBytes >= MIN_MERGED_BYTES, `the merged config.data is only ${mergedBytes} bytes`);

    // Information: what the extension itself spends rendering both sides' text (showPreview does it too).
    const textStarted = performance.now();
    preview.text('current');
    preview.text('merged');
    record({ id: 'diff-text', ms: [performance.now() - textStarted], note: 'preview.text() of both sides, in the extension' });

    const diff = (await extensionApi()).services.diff;
    const runs: number[] = [];
    const resolvedRuns: number[] = [];
    const documentRuns: number[] = [];
    let shownLines = 0;
    let shownLanguage = '';
    for (let round = 0; round < 2; round++) {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      // Information: when the extension host has both sides as documents (the text's round trip
      // through the workbench); the rest until vscode.diff returns is the diff editor's own work.
      let documentsAt = 0;
      const opened = new Set<string>();
      const listener = vscode.workspace.onDidOpenTextDocument((doc) => {
        if (doc.uri.scheme.startsWith('ganeti-') && opened.add(doc.uri.scheme).size === 2 && documentsAt === 0) documentsAt = performance.now();
      });
      const started = performance.now();
      const result = await diff.showPreview(preview);
      resolvedRuns.push(performance.now() - started);
      listener.dispose();
      documentRuns.push(documentsAt - started);
      const shown = vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.merged.toString());
      shownLines = shown?.lineCount ?? 0;
      shownLanguage = shown?.languageId ?? '';
      await visible(result.merged);
      runs.push(performance.now() - started);
    }
    record({ id: 'diff-resolved', ms: resolvedRuns, note: 'showPreview() resolved (vscode.diff returned)' });
    record({ id: 'diff-documents', ms: documentRuns, note: `both sides opened in the extension host; merged side ${shownLines} lines, language ${shownLanguage}` });
    record({ id: 'diff', ms: runs, note: `merged config.data ${(mergedBytes / 1e6).toFixed(1)} MB (${configs.length * DIFF_NODES * 20} instances), 2 opens` });
  });
});

/** Resolves once a visible editor shows `uri` (the diff's right side); rejects after a minute. */
function visible(uri: vscode.Uri): Promise<void> {
  const shown = () => vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri.toString());
  if (shown()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`no visible editor shows ${uri.toString()} after 60 s (visible: ${vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()).join(', ') || 'none'})`));
    }, 60_000);
    const listener = vscode.window.onDidChangeVisibleTextEditors(() => {
      if (shown()) {
        clearTimeout(timer);
        listener.dispose();
        resolve();
      }
    });
  });
}
