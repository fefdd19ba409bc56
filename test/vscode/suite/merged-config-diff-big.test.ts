// A big merged config is shown one object per line (VS Code's line diff of the one-value-per-line
// form times out and then marks everything as replaced); a small one keeps one value per line.
import * as assert from 'assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GanetiConfig } from '../../../src/core/config/types';
import { MergeEngine } from '../../../src/core/merger/engine';
import { Journal } from '../../../src/core/merger/journal';
import type { MergePreview } from '../../../src/core/merger/preview';
import { DEFAULT_PLAN_OPTIONS } from '../../../src/core/merger/types';
import { fullRollback, standardPhases } from '../../../src/core/phases';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { ScriptedRunner } from '../../../src/core/remote/scripted-runner';
import { MergedConfigDiff, OBJECT_PER_LINE_FROM_BYTES } from '../../../src/ui/merged-config-diff';
import { generateCluster } from '../../unit/config/generator';
import { scriptedClusters } from '../../unit/merger/scripted-clusters';

describe('merged config diff of a big config (one object per line)', function () {
  this.timeout(120_000);
  const diff = new MergedConfigDiff({ current: 'ganeti-current-big', merged: 'ganeti-merged-big' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-diff-big-'));
  let runs = 0;

  async function preflightPreview(nodes: number): Promise<MergePreview> {
    const configs = ['alpha', 'beta'].map((name, i) => generateCluster({
      name, nodes, instancesPerNode: 20, seed: 30 + i, drbdFraction: 0.1, withNetwork: true, ipBase: `10.${20 + i}`,
    }));
    const journal = Journal.create(path.join(dir, `merge-${++runs}.json`), { ...DEFAULT_PLAN_OPTIONS, groups: 'merge', networks: 'rename', target: 'alpha', mergees: ['beta'] });
    const engine = new MergeEngine({ journal, runner: new ScriptedRunner(scriptedClusters(configs)), prompter: new ScriptedPrompter({}), phases: standardPhases(), fullRollback });
    await engine.runPhase('preflight').catch(() => undefined);
    const preview = engine.preview();
    assert.ok(preview?.ok, `preflight refused the generated merge: ${JSON.stringify(preview?.findings.filter((f) => f.severity === 'error').slice(0, 3))}`);
    return preview;
  }

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    diff.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows both sides of a merge above the threshold one object per line: the same JSON, problems at their object, editable', async () => {
    const preview = await preflightPreview(30);
    const pretty = preview.text('merged');
    assert.ok(preview.text('merged', { objectPerLine: true }).length >= OBJECT_PER_LINE_FROM_BYTES, 'the generated merge is below the threshold');
    const result = await diff.showPreview(preview);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === result.merged.toString(), 'no diff editor shows the merged side');

    const merged = await vscode.workspace.openTextDocument(result.merged);
    const current = await vscode.workspace.openTextDocument(result.current);
    assert.deepStrictEqual(JSON.parse(merged.getText()), JSON.parse(pretty), 'the merged side is not the merged config');
    assert.deepStrictEqual(JSON.parse(current.getText()), JSON.parse(preview.text('current')));
    assert.strictEqual(merged.languageId, 'ganeti-config-objects');
    assert.strictEqual(current.languageId, 'ganeti-config-objects');
    // the language's defaults (package.json configurationDefaults) reach the diff editor
    const settings = vscode.workspace.getConfiguration('diffEditor', merged);
    assert.strictEqual(settings.get('useInlineViewWhenSpaceIsLimited'), false);
    assert.strictEqual(vscode.workspace.getConfiguration('diffEditor').get('useInlineViewWhenSpaceIsLimited'), true, 'the default leaked to every diff');
    const config = JSON.parse(pretty) as GanetiConfig;
    const objects = ['nodes', 'instances', 'disks', 'nodegroups', 'networks', 'cluster'] as const;
    const objectCount = objects.reduce((n, key) => n + Object.keys(config[key] ?? {}).length, 0);
    assert.ok(merged.lineCount <= objectCount + 50, `${merged.lineCount} lines for ${objectCount} objects (one value per line has ${pretty.split('\n').length})`);
    const lines = merged.getText().split('\n');
    for (const [uuid, instance] of Object.entries(config.instances)) {
      const line = lines.find((l) => l.startsWith(`    ${JSON.stringify(uuid)}: {`));
      assert.ok(line?.includes(`"name":${JSON.stringify(instance.name)}`), `instance ${instance.name} is not on its own line`);
    }

    // the findings as problems, each at the line of what it names (here: the cluster parameters)
    const diagnostics = vscode.languages.getDiagnostics(result.merged);
    assert.strictEqual(diagnostics.length, result.findings.length);
    assert.ok(diagnostics.length > 0, 'the generated merge has no findings to place');
    const macPrefix = diagnostics.find((d) => d.code === 'W_PARAM_DIFF' && d.message.includes('mac_prefix'));
    assert.ok(macPrefix, `no W_PARAM_DIFF for mac_prefix among ${diagnostics.map((d) => d.code).join(', ')}`);
    assert.match(merged.lineAt(macPrefix.range.start.line).text, /^ {4}"mac_prefix":/);

    // unedited until saved with a change; a valid edit of one instance's line saves
    assert.strictEqual(diff.savedEdit(result.merged)?.edited, false);
    const [uuid, instance] = Object.entries(config.instances)[0];
    const at = lines.findIndex((l) => l.startsWith(`    ${JSON.stringify(uuid)}: {`));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(result.merged, merged.lineAt(at).range, lines[at].replace(`"name":${JSON.stringify(instance.name)}`, `"name":"renamed-${instance.name}"`));
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await merged.save(), 'a valid one-line edit was refused');
    const saved = diff.savedEdit(result.merged);
    assert.strictEqual(saved?.edited, true);
    assert.strictEqual((JSON.parse(saved.text) as GanetiConfig).instances[uuid].name, `renamed-${instance.name}`);
  });

  it('keeps one value per line for a merge below the threshold, and for its bookkeeping-hidden view', async () => {
    const preview = await preflightPreview(2);
    assert.ok(preview.text('merged', { objectPerLine: true }).length < OBJECT_PER_LINE_FROM_BYTES);
    const result = await diff.showPreview(preview);
    const merged = await vscode.workspace.openTextDocument(result.merged);
    assert.strictEqual(merged.getText(), preview.text('merged'));
    assert.strictEqual(merged.languageId, 'json');
    assert.strictEqual((await vscode.workspace.openTextDocument(result.current)).getText(), preview.text('current'));
    const hidden = await diff.showPreview(preview, { bookkeepingHidden: true });
    assert.strictEqual((await vscode.workspace.openTextDocument(hidden.merged)).getText(), preview.text('merged', { hideBookkeeping: true }));
  });
});
