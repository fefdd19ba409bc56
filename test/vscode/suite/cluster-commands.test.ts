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

/** Services with scripted dialogs and a recording settings store, around the real extension's others. */
async function scripted(answers: { inputs?: string[]; warning?: (actions: string[]) => string | undefined; pick?: string }) {
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
  const services: UiServices = { ...api.services, host, clusterSettings: store, settings: () => settings };
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

describe('a cluster list in the workspace settings', () => {
  it('is the one Add and Remove Cluster edit; the user list is left as it was', async () => {
    const api = await extensionApi();
    const configuration = () => vscode.workspace.getConfiguration('ganetiMerge');
    const before = configuration().inspect('clusters');
    const user = [{ name: 'personal', host: 'personal.example.com' }];
    try {
      await configuration().update('clusters', user, vscode.ConfigurationTarget.Global);
      await configuration().update('clusters', [{ name: 'team', host: 'team.example.com' }], vscode.ConfigurationTarget.Workspace);
      await settled(() => api.services.settings().clusters.map((c) => c.name).join() === 'team');
      await api.services.clusterSettings.add({ name: 'lab', host: 'lab.example.com' });
      await settled(() => api.services.settings().clusters.map((c) => c.name).join() === 'team,lab');
      assert.deepStrictEqual(configuration().inspect('clusters')?.workspaceValue,
        [{ name: 'team', host: 'team.example.com' }, { name: 'lab', host: 'lab.example.com' }]);
      await assert.rejects(api.services.clusterSettings.remove('personal'), /No cluster named personal/);
      await api.services.clusterSettings.remove('team');
      await settled(() => api.services.settings().clusters.map((c) => c.name).join() === 'lab');
      assert.deepStrictEqual(configuration().inspect('clusters')?.workspaceValue, [{ name: 'lab', host: 'lab.example.com' }]);
      assert.deepStrictEqual(configuration().inspect('clusters')?.globalValue, user);
    } finally {
      await configuration().update('clusters', before?.workspaceValue, vscode.ConfigurationTarget.Workspace);
      await configuration().update('clusters', before?.globalValue, vscode.ConfigurationTarget.Global);
    }
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
