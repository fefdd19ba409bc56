// A whole merge and its rollback driven from the extension host against the real Ganeti lab:
// the Merge Clusters command (with a request instead of the wizard), the approval diff, the
// progress panel's model, the tree, and the journal recovery prompt. Dialogs are scripted.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { Journal } from '../../../src/core/merger/journal';
import { DEFAULT_PLAN_OPTIONS, PHASES } from '../../../src/core/merger/types';
import { ganeti } from '../../../src/core/remote';
import { ScriptedPrompter } from '../../../src/core/operator/prompter';
import type { GanetiMergeApi } from '../../../src/ui/activate-ui';
import type { LabInfo } from '../../lab/lab';
import { exportMergeReportCommand } from '../../../src/ui/commands/export-merge-report';
import { mergeClustersCommand, type MergeClustersResult } from '../../../src/ui/commands/merge-clusters';
import type { UiHost } from '../../../src/ui/host';
import { editorConfigApprover } from '../../../src/ui/merge/config-approval';
import { PLAN_VIEW_TYPE } from '../../../src/ui/plan-panel';
import { offerRecovery } from '../../../src/ui/merge/journal-recovery';
import { MergeController } from '../../../src/ui/merge/merge-controller';
import { newJournalFile } from '../../../src/ui/merge/merge-journals';
import type { UiServices } from '../../../src/ui/services';
import { extensionApi } from './extension-api';
import { labOrSkip } from './lab-or-skip';
import { useLabSettings } from './lab-settings';

const planIsOpen = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(PLAN_VIEW_TYPE));

/** Answers every question with its first action (approve, proceed), recording what was asked (and whether the plan was open). */
function approvingHost(asked: string[]): UiHost {
  return {
    showInformation: async (m) => void asked.push(`info: ${m}`),
    showError: async (m) => void asked.push(`error: ${m}`),
    showChoice: async (m, ...actions) => { asked.push(`choice: ${m}`); return actions[0]; },
    showWarning: async (m, o, ...actions) => {
      // the plan's tab appears once the workbench has created its panel
      for (const deadline = Date.now() + 10_000; m.startsWith('Review the merged') && !planIsOpen() && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 100));
      asked.push(`${o.modal ? 'modal' : 'warning'}: ${m}${planIsOpen() ? ' [plan open]' : ''}`);
      return actions[0];
    },
    showInputBox: async () => undefined,
    showQuickPick: async () => undefined,
    showQuickPickMany: async () => undefined,
    withProgress: (_options, task) => task(() => undefined, new AbortController().signal),
  };
}

describe('merge and rollback from the editor (Ganeti lab)', function () {
  this.timeout(900_000);
  let api: GanetiMergeApi;
  let restore: (() => Promise<void>) | undefined;
  let storageDir: string;
  let controller: MergeController;
  let services: UiServices;
  const asked: string[] = [];

  before(async function () {
    const lab = labOrSkip(this);
    api = await extensionApi();
    restore = await useLabSettings(api, lab);
    storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-editor-merges-'));
    const host = approvingHost(asked);
    controller = new MergeController({
      storageDir, settings: api.services.settings, prompter: new ScriptedPrompter({ confirm: true }), host,
      progress: api.services.progress, log: api.services.log, approveConfig: editorConfigApprover(api.services.diff, host, api.services.plans),
    });
    services = { ...api.services, host, merges: controller };
  });

  after(async () => {
    await controller?.close();
    controller?.dispose();
    await restore?.();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (storageDir) fs.rmSync(storageDir, { recursive: true, force: true });
  });

  const nodeNames = async (host: string) => (await api.services.remote.run(host, ganeti.nodeList())).map((n) => n.name).sort();

  /**
   * Exports the merge report in every format through the command, as an operator would after the
   * merge or the rollback, and checks each names the phases and holds no secret: no private key
   * (the lab's own ssh key is the one the merge used), no DRBD secret or private OS parameter.
   */
  async function exportReports(lab: LabInfo, journalFile: string, when: string, mustSay: RegExp): Promise<void> {
    const sshKey = fs.readFileSync(lab.identityFile, 'utf8').split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
    for (const format of ['md', 'html', 'json'] as const) {
      const out = vscode.Uri.file(path.join(storageDir, `report-${when}.${format}`));
      const written = await exportMergeReportCommand(services).run(journalFile, format, out);
      assert.strictEqual(written?.toString(), out.toString(), `${format} report ${when} not written`);
      const text = fs.readFileSync(out.fsPath, 'utf8');
      assert.match(text, /verify-merged|Verify Merged/, `${format} report ${when} lists no phase`);
      assert.match(text, mustSay, `${format} report ${when}`);
      assert.ok(!/PRIVATE KEY|BEGIN OPENSSH/.test(text), `${format} report ${when} holds a private key marker`);
      for (const line of sshKey.slice(0, 3)) assert.ok(!text.includes(line), `${format} report ${when} holds the lab's private key`);
      assert.ok(!/"secret"\s*:\s*"[0-9a-f]{8,}"|osparams_private"\s*:\s*\{\s*"/.test(text), `${format} report ${when} holds a secret value`);
    }
  }

  it('Merge Clusters runs preflight, shows the diff, merges after approval; Roll Back restores both clusters', async function () {
    const lab = labOrSkip(this);
    const target = lab.clusters.find((c) => c.name === lab.targetCluster)!;
    const mergee = lab.clusters.find((c) => c.name === lab.mergeeClusters[lab.mergeeClusters.length - 1])!;
    assert.strictEqual(api.services.settings().defaults.groups, 'merge', 'the lab settings choose groups: merge');
    const before = { target: await nodeNames(target.name), mergee: await nodeNames(mergee.name) };

    const result = (await mergeClustersCommand(services).run({
      target: { name: target.shortName, host: target.name },
      mergees: [{ name: mergee.shortName, host: mergee.name }],
      options: api.services.settings().defaults,
    })) as MergeClustersResult;
    assert.deepStrictEqual(result && { preflight: result.preflight, next: result.next }, { preflight: 'passed', next: 'run-all' }, asked.join('\n'));
    const snap = controller.snapshot();
    assert.strictEqual(snap.outcome, 'merged', asked.filter((a) => a.startsWith('error')).join('\n'));
    // the panel's model (what the webview renders) saw every phase finish
    const panel = api.services.progress.model.state;
    assert.deepStrictEqual(panel.phases.filter((p) => p.state !== 'done').map((p) => p.id), []);
    assert.strictEqual(panel.outcome, 'merged');
    assert.ok(panel.transcript.some((l) => l.includes('gnt-node')), 'no remote command in the transcript');
    // the approval gate showed the config diff and asked before writing; the modal named the clusters
    assert.ok(asked.some((a) => a.startsWith('warning: Review the merged config.data')), asked.join('\n'));
    assert.ok(asked.some((a) => a.startsWith('modal: Merge') && a.includes(mergee.name) && a.includes(target.name)), asked.join('\n'));
    const approvalTab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.label.includes('to be written'));
    assert.ok(approvalTab, 'the approval diff is not open');
    // the plan was open in its panel while the approval asked, and closed with the answer
    assert.ok(asked.some((a) => a.startsWith('warning: Review the merged config.data') && a.endsWith('[plan open]')), `the merge plan was not open beside the approval: ${asked.join('\n')}`);
    assert.ok(!planIsOpen(), 'the merge plan stayed open after the approval was answered');
    assert.deepStrictEqual(await nodeNames(target.name), [...before.target, ...before.mergee].sort());
    const journalFile = controller.snapshot().journalFile!;
    await exportReports(lab, journalFile, 'merged', /merged/);

    const back = await controller.rollback();
    assert.strictEqual(back?.outcome, 'rolled-back', JSON.stringify(back));
    assert.deepStrictEqual(await nodeNames(target.name), before.target);
    assert.deepStrictEqual(await nodeNames(mergee.name), before.mergee);
    assert.strictEqual(api.services.progress.model.state.outcome, 'rolled-back');
    assert.ok(controller.snapshot().rolledBack);
    await exportReports(lab, journalFile, 'rolled-back', /rolled.back|rollback/i);
  });

  it('steps through phases by hand with the phase commands, undoes the last one, then rolls back', async function () {
    const lab = labOrSkip(this);
    const target = lab.clusters.find((c) => c.name === lab.targetCluster)!;
    const mergee = lab.clusters.find((c) => c.name === lab.mergeeClusters[lab.mergeeClusters.length - 1])!;
    await controller.start({ ...api.services.settings().defaults, target: target.name, mergees: [mergee.name] });
    for (const id of ['preflight', 'verify-target', 'authorize-target-master'] as const) {
      assert.strictEqual(controller.snapshot().nextPhase, id);
      const r = await controller.runPhase(id);
      assert.deepStrictEqual(r, { outcome: 'done', phase: id });
    }
    assert.strictEqual(controller.snapshot().lastUndoable, 'authorize-target-master');
    asked.length = 0;
    const undone = await controller.undoLast();
    assert.deepStrictEqual(undone, { outcome: 'undone', phase: 'authorize-target-master' });
    assert.ok(asked.some((a) => a.startsWith('modal: Undo phase "Authorize Target Master"')), asked.join('\n'));
    assert.strictEqual(controller.snapshot().nextPhase, 'authorize-target-master');
    const states = Object.fromEntries(api.services.progress.model.state.phases.map((p) => [p.id, p.state]));
    assert.deepStrictEqual([states.preflight, states['verify-target'], states['authorize-target-master']], ['done', 'done', 'undone']);
    const back = await controller.rollback();
    assert.strictEqual(back?.outcome, 'rolled-back', JSON.stringify(back));
    assert.ok(controller.snapshot().rolledBack);
  });

  it('offers an unfinished merge at start-up; "Show" opens it in the panel, a finished one is not offered', async function () {
    labOrSkip(this);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcm-recovery-'));
    try {
      const file = newJournalFile(dir);
      const journal = Journal.create(file, { ...DEFAULT_PLAN_OPTIONS, target: 'a.example', mergees: ['c.example'] });
      journal.setState('preflight', 'done');
      journal.setState('verify-target', 'done');
      journal.setState('authorize-target-master', 'failed', 'link down');
      const recoveryAsked: string[] = [];
      const host: UiHost = { ...approvingHost(recoveryAsked), showWarning: async (m, _o, ...actions) => { recoveryAsked.push(m); return actions.find((a) => a === 'Show'); } };
      const recovering = new MergeController({
        storageDir: dir, settings: api.services.settings, prompter: new ScriptedPrompter(), host,
        progress: api.services.progress, log: api.services.log, approveConfig: async () => undefined,
      });
      try {
        const offered = await offerRecovery({ storageDir: dir, controller: recovering, host, progress: api.services.progress, log: api.services.log });
        assert.strictEqual(offered.choice, 'show');
        assert.match(recoveryAsked[0], /unfinished merge of c\.example into a\.example/);
        assert.strictEqual(recovering.snapshot().journalFile, file);
        assert.strictEqual(recovering.snapshot().nextPhase, 'authorize-target-master');
        const states = Object.fromEntries(api.services.progress.model.state.phases.map((p) => [p.id, p.state]));
        assert.deepStrictEqual([states.preflight, states['authorize-target-master'], states.cleanup], ['done', 'failed', 'pending']);

        // once rolled back, it is not offered again
        journal.doc.rollback = { state: 'done', startedAt: Date.now(), finishedAt: Date.now() };
        journal.save();
        const again = await offerRecovery({ storageDir: dir, controller: recovering, host, progress: api.services.progress, log: api.services.log });
        assert.strictEqual(again.found, undefined);
      } finally {
        await recovering.close();
        recovering.dispose();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.strictEqual(PHASES.length, 18);
  });
});
