import * as assert from 'assert';
import * as vscode from 'vscode';
import * as manifest from '../../../package.json';
import * as nls from '../../../package.nls.json';
import { PHASES } from '../../../src/core/merger/types';
import { phaseTitle } from '../../../src/ui/merge/phase-titles';
import { extensionApi } from './extension-api';

describe('contributions', () => {
  before(async () => {
    await extensionApi();
  });

  it('registers every contributed command, including the cluster, diff and progress commands', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest.contributes.commands.map((c) => c.command);
    for (const id of ['ganeti.addCluster', 'ganeti.removeCluster', 'ganeti.refreshClusters', 'ganeti.showMergedConfigDiff', 'ganeti.showMergeProgress']) {
      assert.ok(contributed.includes(id), `package.json does not contribute ${id}`);
    }
    assert.deepStrictEqual(contributed.filter((id) => !registered.has(id)), []);
  });

  it('contributes the Clusters view in its own activity bar container with a welcome view', () => {
    const container = manifest.contributes.viewsContainers.activitybar.find((c) => c.id === 'ganetiMerge');
    assert.ok(container, 'no ganetiMerge activity bar container');
    assert.deepStrictEqual(manifest.contributes.views.ganetiMerge.map((v) => v.id), ['ganetiMerge.clusters']);
    const text = (key: string): string => (nls as Record<string, string>)[key.replace(/^%|%$/g, '')] ?? key;
    assert.ok(manifest.contributes.viewsWelcome.some((w) => w.view === 'ganetiMerge.clusters' && text(w.contents).includes('command:ganeti.addCluster')));
  });

  it('menus only name contributed commands', () => {
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    const menus = Object.values(manifest.contributes.menus).flat() as { command: string }[];
    assert.deepStrictEqual(menus.map((m) => m.command).filter((c) => !contributed.has(c)), []);
  });

  it('declares every setting the extension reads, with its default', () => {
    const properties = manifest.contributes.configuration.properties as Record<string, { default?: unknown }>;
    const configuration = vscode.workspace.getConfiguration('ganetiMerge');
    for (const key of ['clusters', 'sshConfigFile', 'knownHostsFile', 'identityFile', 'defaults.groups', 'defaults.networks', 'defaults.params', 'defaults.restart',
      'defaults.stopInstances', 'defaults.watcherPauseSeconds', 'defaults.ignoredVerifyCodes', 'concurrency', 'commandTimeoutSeconds']) {
      assert.ok(properties[`ganetiMerge.${key}`], `ganetiMerge.${key} is not contributed`);
      assert.deepStrictEqual(configuration.inspect(key)?.defaultValue, properties[`ganetiMerge.${key}`].default, key);
    }
  });

  it('phase titles shown at run time (literal l10n keys) are core\'s phase titles', () => {
    assert.deepStrictEqual(PHASES.map((p) => phaseTitle(p.id)), PHASES.map((p) => p.title));
  });
});
