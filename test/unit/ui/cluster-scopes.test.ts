/** ganetiMerge.clusters read from every scope: each list shown, a name in two scopes once, from the winner. */
import * as assert from 'node:assert/strict';
import { folderOrigin, originFolder, readSettings, type ClusterScopes } from '../../../src/ui/settings';

const read = (scopes: ClusterScopes) => readSettings(() => undefined, '/home/op', scopes);

describe('cluster lists from several settings scopes', () => {
  it('lists every scope\'s clusters, winner first, each marked by its origin', () => {
    const { settings, problems } = read([
      { origin: 'workspace', value: [{ name: 'team', host: 'team.example.com' }] },
      { origin: 'user', value: [{ name: 'personal', host: 'personal.example.com' }] },
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(settings.clusters, [
      { name: 'team', host: 'team.example.com', origin: 'workspace' },
      { name: 'personal', host: 'personal.example.com', origin: 'user' },
    ]);
  });

  it('shows a name defined in two scopes once, from the winning scope, naming the entry it shadows', () => {
    const { settings, problems } = read([
      { origin: 'workspace', value: [{ name: 'shared', host: 'ws.example.com' }] },
      { origin: 'user', value: [{ name: 'shared', host: 'user.example.com' }, { name: 'own', host: 'own.example.com' }] },
    ]);
    assert.deepEqual(problems, []);
    assert.deepEqual(settings.clusters, [
      { name: 'shared', host: 'ws.example.com', origin: 'workspace', shadowed: [{ origin: 'user', host: 'user.example.com' }] },
      { name: 'own', host: 'own.example.com', origin: 'user' },
    ]);
  });

  it('names the scope of a rejected entry and keeps the valid ones of every scope', () => {
    const { settings, problems } = read([
      { origin: 'workspace', value: [{ name: 'ok', host: 'ok.example.com' }, { name: 'bad', host: 'a b; rm -rf /' }] },
      { origin: 'user', value: 'not a list' },
    ]);
    assert.deepEqual(settings.clusters.map((c) => c.name), ['ok']);
    assert.deepEqual(problems.map((p) => p.slice(0, p.indexOf(':'))),
      ['ganetiMerge.clusters[1] (workspace settings)', 'ganetiMerge.clusters (user settings)']);
  });

  it('a scope with no value adds nothing', () => {
    assert.deepEqual(read([]).settings.clusters, []);
    assert.deepEqual(read([{ origin: 'user', value: undefined }]).settings.clusters, []);
  });

  it('folder lists (a multi-root workspace) win over the workspace\'s and are named by their folder in problems', () => {
    const siteA = folderOrigin('file:///srv/site-a');
    const { settings, problems } = read([
      { origin: siteA, label: 'folder site-a', value: [{ name: 'shared', host: 'a.example.com' }, { name: 'bad', host: '-x' }] },
      { origin: 'workspace', value: [{ name: 'shared', host: 'ws.example.com' }] },
    ]);
    assert.deepEqual(settings.clusters, [{ name: 'shared', host: 'a.example.com', origin: siteA, shadowed: [{ origin: 'workspace', host: 'ws.example.com' }] }]);
    assert.deepEqual(problems.map((p) => p.slice(0, p.indexOf(':'))), ['ganetiMerge.clusters[1] (folder site-a settings)']);
    assert.equal(originFolder(siteA), 'file:///srv/site-a');
    assert.equal(originFolder('workspace'), undefined);
    assert.equal(originFolder('user'), undefined);
  });
});
