import * as assert from 'assert';
import * as vscode from 'vscode';
import { PHASES, POINT_OF_NO_RETURN } from '../../../src/core/merger/types';
import type { HostToWebview, PanelState } from '../../../src/protocol';
import { ProgressModel } from '../../../src/ui/progress-model';
import { PanelConnection, PROGRESS_VIEW_TYPE, type WebviewPort } from '../../../src/ui/progress-panel';
import { extensionApi } from './extension-api';

/** A webview stand-in: records what the host posts and lets the test send messages. */
function fakePort() {
  const posted: HostToWebview[] = [];
  const listeners: ((m: unknown) => void)[] = [];
  const port: WebviewPort = {
    postMessage: async (m) => {
      posted.push(m);
      return true;
    },
    onDidReceiveMessage: (l) => {
      listeners.push(l);
      return new vscode.Disposable(() => listeners.splice(listeners.indexOf(l), 1));
    },
  };
  return { port, posted, send: (m: unknown) => listeners.forEach((l) => l(m)) };
}

const commandEvent = (host: string) => ({
  host, argv: ['gnt-node', 'list'], exitCode: 0, durationMs: 12, stdoutBytes: 10, stderrBytes: 0, stdinBytes: 0, startedAt: '2026-01-01T00:00:00Z',
});

describe('progress panel host', () => {
  it('models every phase, in order, with the point of no return', () => {
    const state = new ProgressModel('t', () => 'x').state;
    assert.deepStrictEqual(state.phases.map((p) => p.id), PHASES.map((p) => p.id));
    assert.ok(state.phases.every((p) => p.state === 'pending'));
    assert.strictEqual(state.pointOfNoReturn, POINT_OF_NO_RETURN);
  });

  it('sends nothing before ready, then replays the whole state, then only updates', async () => {
    const model = new ProgressModel('Merge', (e) => `${e.host}: ${e.argv.join(' ')}`);
    model.apply({ type: 'phase', phase: { id: 'preflight', title: 'Preflight', state: 'done', startedAt: 1000, finishedAt: 3000 } });
    model.apply({ type: 'command', phase: 'verify-target', event: commandEvent('a1') });
    const { port, posted, send } = fakePort();
    const requests: unknown[] = [];
    const connection = new PanelConnection(port, model, (m) => requests.push(m));
    model.apply({ type: 'progress', phase: 'verify-target', message: 'verifying', done: 1, total: 2 });
    assert.deepStrictEqual(posted, [], 'the host posted before the webview was ready');

    send({ type: 'ready' });
    assert.strictEqual(posted.length, 1);
    const replay = posted[0] as { type: 'state'; state: PanelState };
    assert.strictEqual(replay.type, 'state');
    assert.strictEqual(replay.state.phases[0].state, 'done');
    assert.strictEqual(replay.state.phases[1].progress, 'verifying (1/2)');
    assert.deepStrictEqual(replay.state.transcript, ['[preflight] done', '[verify-target] a1: gnt-node list', '[verify-target] verifying (1/2)']);

    model.apply({ type: 'finished', outcome: 'failed', error: 'boom' });
    const update = posted[1] as Extract<HostToWebview, { type: 'update' }>;
    assert.strictEqual(update.type, 'update');
    assert.deepStrictEqual(update.appendLines, ['finished: failed: boom']);
    assert.strictEqual(update.status.outcome, 'failed');
    assert.ok(!('transcript' in update.status), 'updates must not resend the transcript');

    // A reloaded webview says ready again and gets everything again.
    send({ type: 'ready' });
    assert.strictEqual((posted[2] as { state: PanelState }).state.transcript.length, 4);

    send({ type: 'runPhase', phase: 'snapshot' });
    send({ type: 'undoPhase', phase: 'preflight' });
    send({ type: 'rollBack' });
    send({ type: 'runPhase' }); // malformed: ignored
    send({ type: 'deleteEverything' }); // unknown: ignored
    assert.deepStrictEqual(requests, [{ type: 'runPhase', phase: 'snapshot' }, { type: 'undoPhase', phase: 'preflight' }, { type: 'rollBack' }]);
    connection.dispose();
    model.apply({ type: 'progress', phase: 'snapshot', message: 'after dispose' });
    assert.strictEqual(posted.length, 3);
  });

  it('restores a state saved by a reloaded webview, keeping only known phases and never the busy flag', () => {
    const saved = new ProgressModel('Saved merge', () => 'x');
    saved.apply({ type: 'phase', phase: { id: 'snapshot', title: 'Snapshot and Fetch Configs', state: 'failed', startedAt: 5, finishedAt: 9, error: 'disk full' } });
    saved.setBusy(true);
    const state = saved.state;
    const tampered = { ...state, phases: [...state.phases, { id: 'format-disks', title: 'x', state: 'done' as const, canRun: true, canUndo: true }] };
    const model = new ProgressModel('fresh', () => 'x');
    model.restore(tampered);
    const restored = model.state;
    assert.strictEqual(restored.title, 'Saved merge');
    assert.deepStrictEqual(restored.phases.map((p) => p.id), PHASES.map((p) => p.id));
    assert.strictEqual(restored.phases.find((p) => p.id === 'snapshot')?.error, 'disk full');
    assert.strictEqual(restored.busy, false);
    assert.ok(restored.phases.every((p) => !p.canRun && !p.canUndo), 'a revived panel offers actions before an engine answered');
    assert.deepStrictEqual(restored.transcript, state.transcript);
  });

  it('refuses events for unknown phases without changing the state', () => {
    const model = new ProgressModel('t', () => 'x');
    const before = model.state;
    assert.throws(() => model.apply({ type: 'progress', phase: 'nope' as never, message: 'm' }), /unknown phase "nope"/);
    assert.deepStrictEqual(model.state, before);
  });

  it('Ganeti: Show Merge Progress opens the panel and its webview gets the state on ready', async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    const progress = api.services.progress;
    progress.model.apply({ type: 'phase', phase: { id: 'preflight', title: 'Preflight', state: 'running', startedAt: Date.now() } });
    const replayed = new Promise<PanelState>((resolve) => {
      const sub = progress.onDidReplayState((s) => {
        sub.dispose();
        resolve(s);
      });
    });
    await vscode.commands.executeCommand('ganeti.showMergeProgress');
    const state = await Promise.race([replayed, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the webview never said ready')), 30_000))]);
    assert.strictEqual(state.phases[0].state, 'running');
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const panelTab = tabs.find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(PROGRESS_VIEW_TYPE));
    assert.ok(panelTab, `no progress panel tab among: ${tabs.map((t) => t.label).join(', ')}`);
    // Running it again reveals the same panel instead of opening a second one.
    await vscode.commands.executeCommand('ganeti.showMergeProgress');
    const again = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(PROGRESS_VIEW_TYPE));
    assert.strictEqual(again.length, 1);
    await vscode.window.tabGroups.close(panelTab);
  });
});
