/**
 * ganetiMerge.clusters in a multi-root workspace (two folders, site-a and site-b, opened from a
 * .code-workspace file by run-ext-tests.ts): each folder's list is shown, marked by its folder, with
 * VS Code's precedence (folder, workspace, user); Add and Remove write to the folder they belong to.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { UiHost } from '../../../src/ui/host';
import type { UiServices } from '../../../src/ui/services';
import { clusterScopes } from '../../../src/ui/cluster-settings-store';
import { removeClusterCommand } from '../../../src/ui/commands/remove-cluster';
import { readSettings } from '../../../src/ui/settings';
import { extensionApi } from '../suite/extension-api';
import { settled } from '../suite/lab-settings';

const SECTION = 'ganetiMerge';
const folder = (name: string): vscode.WorkspaceFolder => {
  const found = vscode.workspace.workspaceFolders?.find((f) => f.name === name);
  if (!found) throw new Error(`folder ${name} is not open: ${JSON.stringify(vscode.workspace.workspaceFolders?.map((f) => f.name))}`);
  return found;
};
const folderList = (name: string) => vscode.workspace.getConfiguration(SECTION, folder(name).uri).inspect('clusters')?.workspaceFolderValue;
const setFolderList = (name: string, value: unknown) =>
  vscode.workspace.getConfiguration(SECTION, folder(name).uri).update('clusters', value, vscode.ConfigurationTarget.WorkspaceFolder);
const configuration = () => vscode.workspace.getConfiguration(SECTION);

describe('cluster lists of a multi-root workspace\'s folders', () => {
  const siteA = [{ name: 'site', host: 'a.example.com' }, { name: 'shared', host: 'a-shared.example.com' }];
  const siteB = [{ name: 'shared', host: 'b-shared.example.com' }, { name: 'bee', host: 'bee.example.com' }];
  const workspace = [{ name: 'team', host: 'team.example.com' }, { name: 'site', host: 'ws-site.example.com' }];
  const user = [{ name: 'personal', host: 'personal.example.com' }];

  before(() => {
    assert.ok(vscode.workspace.workspaceFile, 'this suite needs a .code-workspace window (VSCODE_TEST_WORKSPACE=multi-root)');
  });
  beforeEach(async () => {
    await configuration().update('clusters', user, vscode.ConfigurationTarget.Global);
    await configuration().update('clusters', workspace, vscode.ConfigurationTarget.Workspace);
    await setFolderList('site-a', siteA);
    await setFolderList('site-b', siteB);
  });
  afterEach(async () => {
    for (const name of ['site-a', 'site-b']) await setFolderList(name, undefined);
    await configuration().update('clusters', undefined, vscode.ConfigurationTarget.Workspace);
    await configuration().update('clusters', undefined, vscode.ConfigurationTarget.Global);
  });

  const names = (api: Awaited<ReturnType<typeof extensionApi>>) => api.services.settings().clusters.map((c) => c.name).join();
  async function row(api: Awaited<ReturnType<typeof extensionApi>>, name: string) {
    const node = (await api.services.tree.getChildren()).find((n) => n.kind === 'cluster' && n.cluster.name === name);
    assert.ok(node, `no row ${name}`);
    const item = api.services.tree.getTreeItem(node);
    return { node, description: String(item.description), tooltip: String(item.tooltip) };
  }

  it('lists every folder\'s clusters before the workspace\'s and the user\'s, each marked by its origin', async () => {
    const api = await extensionApi();
    await settled(() => names(api) === 'site,shared,bee,team,personal');
    assert.strictEqual((await row(api, 'site')).description, 'a.example.com · folder site-a');
    assert.strictEqual((await row(api, 'bee')).description, 'bee.example.com · folder site-b');
    assert.strictEqual((await row(api, 'team')).description, 'team.example.com · workspace');
    assert.strictEqual((await row(api, 'personal')).description, 'personal.example.com · user');
    // the first folder wins a shared name; the losers are named in the tooltip
    const shared = await row(api, 'shared');
    assert.strictEqual(shared.description, 'a-shared.example.com · folder site-a');
    assert.match(shared.tooltip, /From the settings of folder site-a/);
    assert.match(shared.tooltip, /Shadows the entry in the settings of folder site-b \(ssh b-shared\.example\.com\)/);
    assert.match((await row(api, 'site')).tooltip, /Shadows the entry in the workspace settings \(ssh ws-site\.example\.com\)/);
  });

  it('Add Cluster extends the winning list (the first folder\'s); no other scope changes', async () => {
    const api = await extensionApi();
    await settled(() => names(api) === 'site,shared,bee,team,personal');
    await api.services.clusterSettings.add({ name: 'lab', host: 'lab.example.com' });
    await settled(() => names(api).includes('lab'));
    assert.deepStrictEqual(folderList('site-a'), [...siteA, { name: 'lab', host: 'lab.example.com' }]);
    assert.deepStrictEqual(folderList('site-b'), siteB);
    assert.deepStrictEqual(configuration().inspect('clusters')?.workspaceValue, workspace);
    assert.deepStrictEqual(configuration().inspect('clusters')?.globalValue, user);
    assert.strictEqual((await row(api, 'lab')).description, 'lab.example.com · folder site-a');
  });

  it('Remove Cluster on a row removes from that row\'s folder only; a shadowed entry then shows from its own folder', async () => {
    const api = await extensionApi();
    await settled(() => names(api) === 'site,shared,bee,team,personal');
    const warnings: string[] = [];
    const host: UiHost = { ...api.services.host, showWarning: async (m, _o, ...actions) => (warnings.push(m), actions[0]) };
    const services: UiServices = { ...api.services, host };

    await removeClusterCommand(services).run((await row(api, 'bee')).node);
    assert.match(warnings[0], /Remove bee from the settings of folder site-b\?/);
    await settled(() => names(api) === 'site,shared,team,personal');
    assert.deepStrictEqual(folderList('site-b'), [siteB[0]]);
    assert.deepStrictEqual(folderList('site-a'), siteA);

    await removeClusterCommand(services).run((await row(api, 'shared')).node);
    await settled(() => api.services.settings().clusters.find((c) => c.name === 'shared')?.host === 'b-shared.example.com');
    assert.deepStrictEqual(folderList('site-a'), [siteA[0]]);
    assert.strictEqual((await row(api, 'shared')).description, 'b-shared.example.com · folder site-b');
    assert.deepStrictEqual(configuration().inspect('clusters')?.workspaceValue, workspace);
    assert.deepStrictEqual(configuration().inspect('clusters')?.globalValue, user);
  });

  it('names the folder of a rejected entry', async () => {
    const api = await extensionApi();
    await setFolderList('site-b', [{ name: 'bad', host: 'a b; rm -rf /' }]);
    await settled(() => names(api) === 'site,shared,team,personal');
    // the extension logs these and shows them in a warning; read them the way it does
    const { problems } = readSettings((key) => configuration().get(key), undefined, clusterScopes());
    assert.ok(problems.some((p) => p.startsWith('ganetiMerge.clusters[0] (folder site-b settings)')), JSON.stringify(problems));
  });
});
