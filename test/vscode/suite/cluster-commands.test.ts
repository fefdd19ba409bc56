import * as assert from 'assert';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { UiServices, ClusterSettingsStore } from '../../../src/ui/services';
import type { UiHost } from '../../../src/ui/host';
import { addClusterCommand } from '../../../src/ui/commands/add-cluster';
import { removeClusterCommand } from '../../../src/ui/commands/remove-cluster';
import { openSshTerminalCommand, sshArgs } from '../../../src/ui/commands/open-ssh-terminal';
import { readSettings } from '../../../src/ui/settings';
import { extensionApi } from './extension-api';
import { settled } from './lab-settings';

/**
 * Services with scripted dialogs and a recording settings store, around the real extension's others;
 * with `realSettings`, the extension's own settings and settings store.
 */
async function scripted(answers: { inputs?: string[]; warning?: (actions: string[]) => string | undefined; pick?: string; realSettings?: boolean }) {
  const api = await extensionApi();
  const calls = { added: [] as { name: string; host: string }[], removed: [] as string[], warnings: [] as string[], errors: [] as string[], inputs: [] as vscode.InputBoxOptions[] };
  const host: UiHost = {
    showInformation: async () => undefined,
    showChoice: async () => undefined,
    showError: async (m) => void calls.errors.push(m),
    showWarning: async (m, o, ...actions) => {
      calls.warnings.push(`${m} | ${o.detail ?? ''}`);
      return answers.warning?.(actions);
    },
    showInputBox: async (o) => {
      calls.inputs.push(o);
      return answers.inputs?.shift();
    },
    showQuickPick: async (items) => items.find((i) => i.label === answers.pick),
    showQuickPickMany: async () => undefined,
    withProgress: (_options, task) => task(() => undefined, new AbortController().signal),
  };
  const store: ClusterSettingsStore = {
    add: async (c) => void calls.added.push(c),
    remove: async (n) => void calls.removed.push(n),
  };
  const settings = readSettings((k) => (k === 'clusters' ? [{ name: 'prod', host: 'prod.example.com' }] : undefined)).settings;
  const services: UiServices = answers.realSettings ? { ...api.services, host } : { ...api.services, host, clusterSettings: store, settings: () => settings };
  return { services, calls };
}

describe('cluster commands', () => {
  it('Add Cluster asks host then name, validates the host, and stores the pair', async () => {
    const { services, calls } = await scripted({ inputs: [' new.example.com ', 'New'] });
    await addClusterCommand(services).run();
    assert.deepStrictEqual(calls.added, [{ name: 'New', host: 'new.example.com' }]);
    const validateHost = calls.inputs[0].validateInput!;
    assert.ok(validateHost('bad host; rm -rf /'), 'a host with spaces was accepted');
    assert.strictEqual(validateHost('ok.example.com'), undefined);
    assert.ok(calls.inputs[1].validateInput!('prod'), 'a name already used was accepted');
  });

  it('Add Cluster cancelled at either step stores nothing', async () => {
    const first = await scripted({ inputs: [] });
    await addClusterCommand(first.services).run();
    const second = await scripted({ inputs: ['x.example.com'] });
    await addClusterCommand(second.services).run();
    assert.deepStrictEqual([...first.calls.added, ...second.calls.added], []);
  });

  it('Remove Cluster names the cluster in a modal question and removes only when confirmed', async () => {
    const declined = await scripted({ warning: () => undefined });
    await removeClusterCommand(declined.services).run({ kind: 'cluster', cluster: { name: 'prod', host: 'prod.example.com' } });
    assert.deepStrictEqual(declined.calls.removed, []);
    assert.ok(declined.calls.warnings[0].includes('prod') && declined.calls.warnings[0].includes('not touched'));

    const confirmed = await scripted({ warning: (actions) => actions[0], pick: 'prod' });
    await removeClusterCommand(confirmed.services).run();
    assert.deepStrictEqual(confirmed.calls.removed, ['prod']);
  });

  it('the real settings store adds and removes user settings entries, refusing duplicates', async () => {
    const api = await extensionApi();
    const configuration = () => vscode.workspace.getConfiguration('ganetiMerge');
    const before = configuration().inspect('clusters')?.globalValue;
    try {
      await configuration().update('clusters', [], vscode.ConfigurationTarget.Global);
      await api.services.clusterSettings.add({ name: 'one', host: 'one.example.com' });
      await settled(() => api.services.settings().clusters.length === 1);
      await assert.rejects(api.services.clusterSettings.add({ name: 'one', host: 'other.example.com' }), /already configured/);
      await assert.rejects(api.services.clusterSettings.add({ name: 'two', host: '-bad' }), /host name/);
      await api.services.clusterSettings.remove('one');
      await settled(() => api.services.settings().clusters.length === 0);
      await assert.rejects(api.services.clusterSettings.remove('one'), /No cluster named one/);
    } finally {
      await configuration().update('clusters', before, vscode.ConfigurationTarget.Global);
    }
  });
});

describe('cluster lists in the user and the workspace settings', () => {
  const configuration = () => vscode.workspace.getConfiguration('ganetiMerge');
  const user = [{ name: 'personal', host: 'personal.example.com' }, { name: 'shared', host: 'user-shared.example.com' }];
  const workspace = [{ name: 'team', host: 'team.example.com' }, { name: 'shared', host: 'ws-shared.example.com' }];
  let before: ReturnType<ReturnType<typeof configuration>['inspect']>;

  beforeEach(async () => {
    before = configuration().inspect('clusters');
    await configuration().update('clusters', user, vscode.ConfigurationTarget.Global);
    await configuration().update('clusters', workspace, vscode.ConfigurationTarget.Workspace);
  });
  afterEach(async () => {
    await configuration().update('clusters', before?.workspaceValue, vscode.ConfigurationTarget.Workspace);
    await configuration().update('clusters', before?.globalValue, vscode.ConfigurationTarget.Global);
  });

  /** The view's cluster rows as [label, description, tooltip]. */
  async function rows(api: Awaited<ReturnType<typeof extensionApi>>) {
    const roots = await api.services.tree.getChildren();
    return roots.filter((n) => n.kind === 'cluster').map((n) => {
      const item = api.services.tree.getTreeItem(n);
      return [item.label, item.description, item.tooltip] as [string, string, string];
    });
  }
  const names = (api: Awaited<ReturnType<typeof extensionApi>>) => api.services.settings().clusters.map((c) => c.name).join();

  it('the view lists both, marked by origin; a name in both shows once, from the workspace, naming the user entry it shadows', async () => {
    const api = await extensionApi();
    await settled(() => names(api) === 'team,shared,personal');
    const [team, shared, personal] = await rows(api);
    assert.deepStrictEqual([team[0], team[1]], ['team', 'team.example.com · workspace']);
    assert.deepStrictEqual([shared[0], shared[1]], ['shared', 'ws-shared.example.com · workspace']);
    assert.deepStrictEqual([personal[0], personal[1]], ['personal', 'personal.example.com · user']);
    assert.match(team[2], /From the workspace settings/);
    assert.match(personal[2], /From the user settings/);
    assert.doesNotMatch(personal[2], /Shadows/);
    assert.match(shared[2], /Shadows the entry in the user settings \(ssh user-shared\.example\.com\)/);
  });

  it('Add Cluster extends the workspace list; the user list is left as it was', async () => {
    const api = await extensionApi();
    await settled(() => names(api) === 'team,shared,personal');
    await api.services.clusterSettings.add({ name: 'lab', host: 'lab.example.com' });
    await settled(() => names(api) === 'team,shared,lab,personal');
    assert.deepStrictEqual(configuration().inspect('clusters')?.workspaceValue, [...workspace, { name: 'lab', host: 'lab.example.com' }]);
    assert.deepStrictEqual(configuration().inspect('clusters')?.globalValue, user);
  });

  it('Remove Cluster on a row removes from the scope the row came from, and only there', async () => {
    const api = await extensionApi();
    await settled(() => names(api) === 'team,shared,personal');
    const row = async (name: string) => (await api.services.tree.getChildren()).find((n) => n.kind === 'cluster' && n.cluster.name === name);
    const confirm = { warning: (actions: string[]) => actions[0], realSettings: true };

    const fromUser = await scripted(confirm);
    await removeClusterCommand(fromUser.services).run(await row('personal'));
    assert.match(fromUser.calls.warnings[0], /Remove personal from the user settings\?/);
    await settled(() => names(api) === 'team,shared');
    assert.deepStrictEqual(configuration().inspect('clusters')?.globalValue, [user[1]]);
    assert.deepStrictEqual(configuration().inspect('clusters')?.workspaceValue, workspace);

    // The workspace's "shared" removed, the user's shows through, marked as the user's.
    const fromWorkspace = await scripted(confirm);
    await removeClusterCommand(fromWorkspace.services).run(await row('shared'));
    assert.match(fromWorkspace.calls.warnings[0], /Remove shared from the workspace settings\?/);
    await settled(() => api.services.settings().clusters.find((c) => c.name === 'shared')?.origin === 'user');
    assert.deepStrictEqual(configuration().inspect('clusters')?.workspaceValue, [workspace[0]]);
    assert.deepStrictEqual(configuration().inspect('clusters')?.globalValue, [user[1]]);
    const shared = (await rows(api)).find((r) => r[0] === 'shared')!;
    assert.strictEqual(shared[1], 'user-shared.example.com · user');
    assert.doesNotMatch(shared[2], /Shadows/);

    await assert.rejects(api.services.clusterSettings.remove('shared', 'workspace'), /No cluster named shared/);
  });

  it('Remove Cluster from the palette picks among every scope and removes from the picked row\'s scope', async () => {
    const api = await extensionApi();
    await settled(() => names(api) === 'team,shared,personal');
    const picked = await scripted({ warning: (actions) => actions[0], pick: 'personal', realSettings: true });
    await removeClusterCommand(picked.services).run();
    await settled(() => names(api) === 'team,shared');
    assert.deepStrictEqual(configuration().inspect('clusters')?.globalValue, [user[1]]);
    assert.deepStrictEqual(configuration().inspect('clusters')?.workspaceValue, workspace);
  });
});

describe('Open SSH Terminal to Node', () => {
  const node = (name: string) => ({ kind: 'node', cluster: { name: 'prod', host: 'prod.example.com' }, node: { name, offline: false, role: 'regular', group: 'default' } });

  it('opens a terminal running ssh with strict host key checking and the node as one argument', async () => {
    const { services } = await scripted({});
    const terminal = (await openSshTerminalCommand(services).run(node('n1.example.com'))) as vscode.Terminal;
    try {
      assert.strictEqual(terminal.name, 'ssh n1.example.com');
      const options = terminal.creationOptions as vscode.TerminalOptions;
      assert.strictEqual(options.shellPath, 'ssh');
      assert.deepStrictEqual(options.shellArgs, ['-o', 'StrictHostKeyChecking=yes', '--', 'n1.example.com']);
    } finally {
      terminal.dispose();
    }
  });

  it('refuses a hostile node name and opens nothing', async () => {
    const { services, calls } = await scripted({});
    const before = vscode.window.terminals.length;
    assert.strictEqual(await openSshTerminalCommand(services).run(node('n1;reboot')), undefined);
    assert.strictEqual(vscode.window.terminals.length, before);
    assert.strictEqual(calls.errors.length, 1);
  });
});

describe('a ~/… identity file in the settings', () => {
  it('reaches ssh as the absolute path under the home directory', async () => {
    const api = await extensionApi();
    const configuration = () => vscode.workspace.getConfiguration('ganetiMerge');
    const before = configuration().inspect('identityFile')?.globalValue;
    const expected = path.join(os.homedir(), '.ssh', 'gcm_suite_key');
    try {
      await configuration().update('identityFile', '~/.ssh/gcm_suite_key', vscode.ConfigurationTarget.Global);
      await settled(() => api.services.settings().identityFile === expected);
      const args = sshArgs(api.services, 'n1.example.com');
      assert.deepStrictEqual(args.slice(args.indexOf('-i'), args.indexOf('-i') + 2), ['-i', expected]);
    } finally {
      await configuration().update('identityFile', before, vscode.ConfigurationTarget.Global);
    }
  });
});
