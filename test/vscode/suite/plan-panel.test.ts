// The merge plan beside the approval's diff, in the running extension (its own PlanPanel and
// MergedConfigDiff, its bundled webview): the plan comes from a real preflight against scripted
// clusters (no lab); a followed link (the webview's `reveal` message, handed to the same receive()
// the webview's messages reach) selects its object's line on the merged side of the diff, also
// after the diff was closed; the plan closes with the approval's answer.
import * as assert from 'assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MergeEngine } from '../../../src/core/merger/engine';
import { Journal } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS } from '../../../src/core/merger/types';
import { fullRollback, standardPhases } from '../../../src/core/phases';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import { ScriptedRunner } from '../../../src/core/remote/scripted-runner';
import { buildMergePlan } from '../../../src/core/report/merge-plan';
import type { UiHost } from '../../../src/ui/host';
import { editorConfigApprover } from '../../../src/ui/merge/config-approval';
import { PLAN_VIEW_TYPE } from '../../../src/ui/plan-panel';
import type { PlanView } from '../../../src/plan-protocol';
import { generateCluster } from '../../unit/config/generator';
import { scriptedClusters } from '../../unit/merger/scripted-clusters';
import { extensionApi } from './extension-api';

const allTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
const planTab = () => allTabs().find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(PLAN_VIEW_TYPE));
const approvalTab = () => allTabs().find((t) => t.input instanceof vscode.TabInputTextDiff && t.label.includes('to be written'));

/** The number of the link whose text is `text`, under a heading starting with `heading`. */
function linkOf(view: PlanView, heading: string, text: string): number {
  let under = '';
  for (const b of view.blocks) {
    if (b.kind === 'heading') under = b.text;
    if (!under.startsWith(heading)) continue;
    const runs = b.kind === 'list' ? b.items.flat() : b.kind === 'para' ? b.runs : [];
    const run = runs.find((r) => r.text === text && r.link !== undefined);
    if (run) return run.link!;
  }
  throw new Error(`no link "${text}" under "${heading}"`);
}

/** The key of the enclosing object (or section) at `indent` above `line`. */
function ownerAt(doc: vscode.TextDocument, line: number, indent: number): string {
  for (let i = line; i >= 0; i--) {
    const text = doc.lineAt(i).text;
    if (text.length - text.trimStart().length === indent && text.trimEnd().endsWith('{')) return JSON.parse(text.trim().replace(/: \{$/, '')) as string;
  }
  return '';
}

describe('merge plan panel (scripted preflight, no lab)', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-plan-'));

  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens beside the approval diff; each followed link selects its object in the merged side, reopening a closed diff; closes with the answer', async () => {
    const api = await extensionApi();
    const { diff, plans } = api.services;
    const alpha = generateCluster({ name: 'alpha', nodes: 2, instancesPerNode: 2, seed: 7, drbdFraction: 1 });
    const beta = generateCluster({ name: 'beta', nodes: 2, instancesPerNode: 2, seed: 7, drbdFraction: 1 });
    const journal = Journal.create(path.join(dir, 'merge.json'), { ...DEFAULT_PLAN_OPTIONS, groups: 'rename', target: 'alpha', mergees: ['beta'] });
    const engine = new MergeEngine({ journal, runner: new ScriptedRunner(scriptedClusters([alpha, beta])), prompter: new ScriptedPrompter({}), phases: standardPhases(), fullRollback });
    await engine.runPhase('preflight');
    const preview = engine.preview()!;
    const plan = buildMergePlan(journal.doc)!;
    const port = plan.drbdPorts[0];
    const renamed = plan.renamed.find((r) => r.kind === 'group');
    assert.ok(port && renamed, 'the scripted merge re-allocates no DRBD port or renames no group');
    const node = plan.added[0].nodes[1];

    const checks: string[] = [];
    let sent: PlanView | undefined;
    const ready = new Promise<PlanView>((resolve) => { const l = plans.onDidSendPlan((v) => { l.dispose(); resolve(v); }); });
    /** Follows link `link` as the webview does, then returns the merged side's selected line. */
    const follow = async (link: number): Promise<{ doc: vscode.TextDocument; line: number }> => {
      const range = await plans.receive({ type: 'reveal', link });
      assert.ok(range, `link ${link} revealed nothing`);
      const editor = vscode.window.activeTextEditor;
      const tab = approvalTab();
      assert.ok(editor && tab?.input instanceof vscode.TabInputTextDiff, 'the approval diff is not the active editor after a reveal');
      assert.strictEqual(editor.document.uri.toString(), tab.input.modified.toString(), 'the selection is not on the merged side');
      assert.strictEqual(editor.selection.active.line, range.start.line);
      return { doc: editor.document, line: editor.selection.active.line };
    };

    const host = {
      showError: async (m: string) => void checks.push(`error: ${m}`),
      showWarning: async (m: string, _o: unknown, ...actions: string[]) => {
        assert.match(m, /Review the merged config\.data/);
        // the webview loaded (its script ran under the strict CSP) and asked for the plan
        sent = await Promise.race([ready, new Promise<undefined>((r) => setTimeout(() => r(undefined), 30_000))]);
        assert.ok(sent, 'the plan webview never said ready');
        assert.deepStrictEqual(sent, plans.view);
        // a strict page: only its own nonce'd bundle runs, no inline script, handler or style
        const html = plans.html ?? '';
        const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
        assert.match(csp, /default-src 'none'/);
        assert.match(csp, /script-src 'nonce-[^']+'(;|$)/);
        assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
        assert.deepStrictEqual(html.match(/<script\b[^>]*>/g)?.length, 1);
        assert.doesNotMatch(html, /\son[a-z]+=|style=/i);
        assert.ok(planTab(), `the plan is not open beside the approval: ${allTabs().map((t) => t.label).join(' | ')}`);
        assert.notStrictEqual(planTab()!.group.viewColumn, approvalTab()!.group.viewColumn, 'the plan is not beside the diff');

        // an added node: its "name" line in the nodes section
        const added = await follow(linkOf(sent, 'From ', node));
        assert.strictEqual(added.doc.lineAt(added.line).text.trim().replace(/,$/, ''), `"name": ${JSON.stringify(node)}`);
        assert.strictEqual(ownerAt(added.doc, added.line, 2), 'nodes');
        // a re-allocated DRBD port: the new port inside that disk's logical_id, followed with the
        // plan's group active (as after a click in it): the diff's own group shows it, no second diff opens
        await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
        assert.strictEqual(vscode.window.tabGroups.activeTabGroup.viewColumn, planTab()!.group.viewColumn, 'the plan\'s group did not take the focus');
        const drbd = await follow(linkOf(sent, 'DRBD ports', String(port.to)));
        assert.strictEqual(drbd.doc.lineAt(drbd.line).text.trim().replace(/,$/, ''), String(port.to));
        assert.strictEqual(ownerAt(drbd.doc, drbd.line, 4), port.disk);
        assert.strictEqual(allTabs().filter((t) => t.input instanceof vscode.TabInputTextDiff && t.label.includes('to be written')).length, 1, 'a second approval diff opened');

        // the diff closed by the operator: a link reopens it on the same documents, line selected
        const diffTab = approvalTab()!;
        const merged = (diffTab.input as vscode.TabInputTextDiff).modified.toString();
        await vscode.window.tabGroups.close(diffTab);
        assert.ok(!approvalTab(), 'the approval diff did not close');
        const group = await follow(linkOf(sent, 'Merged or renamed', renamed.to));
        assert.strictEqual((approvalTab()!.input as vscode.TabInputTextDiff).modified.toString(), merged, 'the reopened diff shows other documents');
        assert.strictEqual(group.doc.lineAt(group.line).text.trim().replace(/,$/, ''), `"name": ${JSON.stringify(renamed.to)}`);
        assert.strictEqual(ownerAt(group.doc, group.line, 2), 'nodegroups');
        checks.push('revealed');
        return actions.find((a) => a === 'Reject');
      },
    } as unknown as UiHost;

    const approve = editorConfigApprover(diff, host, plans);
    const answer = await approve({ master: preview.target, summary: plan.summary, current: preview.current, merged: preview.merged, plan });
    assert.strictEqual(answer, undefined, 'rejecting wrote a config');
    assert.deepStrictEqual(checks, ['revealed']);
    // (the tab goes when the workbench has disposed the panel)
    for (const deadline = Date.now() + 10_000; planTab() && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 100));
    assert.ok(!planTab(), 'the plan stayed open after the approval was answered');
    assert.strictEqual(plans.view, undefined);
    // a reveal after the answer does nothing
    assert.strictEqual(await plans.receive({ type: 'reveal', link: 0 }), undefined);
  });
});
