import * as assert from 'assert';
import * as vscode from 'vscode';
import type { Finding } from '../../../src/core/config/types';
import { ClusterTreeProvider } from '../../../src/ui/cluster-tree';
import type { ClusterTreeNode } from '../../../src/ui/cluster-tree-items';
import type { GanetiMergeApi } from '../../../src/ui/activate-ui';
import { extensionApi } from './extension-api';
import { labOrSkip } from './lab-or-skip';
import { settled, useLabSettings } from './lab-settings';

/** A root row's cluster name; the merge preview row (present only while a merge is open) by its kind. */
const rootName = (n: ClusterTreeNode) => (n.kind === 'cluster' ? n.cluster.name : n.kind);

describe('cluster tree: roles in the open merge and the merge preview branch', () => {
  const clusters = [{ name: 'a', host: 'a.example' }, { name: 'b', host: 'b.example' }, { name: 'c', host: 'c.example' }];
  const never = { run: async () => { throw new Error('no ssh in this test'); } };

  it('without a merge: only the clusters, no roles', async () => {
    const tree = new ClusterTreeProvider(() => clusters, never);
    const root = await tree.getChildren();
    assert.deepStrictEqual(root.map(rootName), ['a', 'b', 'c']);
    assert.ok(root.every((n) => n.kind === 'cluster' && n.role === undefined));
    tree.dispose();
  });

  it('with a merge: target and mergee marked, and a preview branch listing conflicts and warnings', async () => {
    const findings: Finding[] = [
      { code: 'E_INSTANCE_NAME_COLLISION', severity: 'error', message: 'instance web1 exists in a and b' },
      { code: 'W_PARAM_DIFF', severity: 'warning', message: 'ipolicy differs' },
    ];
    const tree = new ClusterTreeProvider(() => clusters, never, () => ({ target: 'a.example', mergees: ['b.example'], findings }));
    const root = await tree.getChildren();
    assert.deepStrictEqual(root.map(rootName), ['a', 'b', 'c', 'preview']);
    const items = root.map((n) => tree.getTreeItem(n));
    assert.match(String(items[0].description), /merge target/);
    assert.match(String(items[1].description), /merging in/);
    assert.doesNotMatch(String(items[2].description ?? ''), /merg/);
    assert.strictEqual(items[3].id, 'merge-preview');
    assert.match(String(items[3].description), /1 conflict\(s\), 1 warning\(s\)/);
    const rows = await tree.getChildren(root[3]);
    const rowItems = rows.map((n) => tree.getTreeItem(n));
    assert.deepStrictEqual(rowItems.map((i) => [i.description, i.contextValue]), [['E_INSTANCE_NAME_COLLISION', 'ganeti.finding.error'], ['W_PARAM_DIFF', 'ganeti.finding.warning']]);
    assert.strictEqual(rowItems[0].label, 'instance web1 exists in a and b');
    tree.dispose();
  });
});

describe('cluster tree: which mergee instances stay up during the merge', () => {
  const clusters = [{ name: 'a', host: 'a.example' }, { name: 'b', host: 'b.example' }];
  const listed = [
    { name: 'web1', status: 'running', primaryNode: 'b1', running: true },
    { name: 'db1', status: 'running', primaryNode: 'b1', running: true },
    { name: 'old1', status: 'ADMIN_down', primaryNode: 'b2', running: false },
  ];
  const remote = { run: async <T>() => listed as unknown as T };
  const instanceStops = [
    { cluster: 'b', instance: 'web1', stop: false, reasons: [] },
    { cluster: 'b', instance: 'db1', stop: true, reasons: ['nic 0 MAC: "aa:00:00:00:00:01" -> "aa:00:00:12:34:56"'] },
    { cluster: 'b', instance: 'old1', stop: false, reasons: [] },
  ];

  async function instanceItems(tree: ClusterTreeProvider, cluster: string): Promise<Map<string, vscode.TreeItem>> {
    const root = await tree.getChildren();
    const folders = await tree.getChildren(root.find((n) => n.kind === 'cluster' && n.cluster.name === cluster));
    const rows = await tree.getChildren(folders.find((n) => n.kind === 'folder' && n.folder === 'instances'));
    return new Map(rows.map((n) => [n.kind === 'instance' ? n.instance.name : n.kind, tree.getTreeItem(n)]));
  }

  it('a mergee\'s running instances say whether they stay up or stop, and why; stopped ones and the target\'s say nothing', async () => {
    const tree = new ClusterTreeProvider(() => clusters, remote, () => ({ target: 'a.example', mergees: ['b.example'], findings: [], instanceStops }));
    const b = await instanceItems(tree, 'b');
    assert.strictEqual(b.get('web1')?.description, 'running · b1 · stays up during the merge');
    assert.strictEqual(b.get('db1')?.description, 'running · b1 · stopped for the merge: nic 0 MAC: "aa:00:00:00:00:01" -> "aa:00:00:12:34:56"');
    assert.match(String(b.get('db1')?.tooltip), /The merge stops it: nic 0 MAC/);
    assert.strictEqual(b.get('old1')?.description, 'ADMIN_down · b2', 'an instance that does not run has nothing to keep up');
    const a = await instanceItems(tree, 'a');
    assert.ok([...a.values()].every((i) => !/merge/.test(String(i.description))), 'the target\'s instances are not the plan\'s');
    tree.dispose();
  });

  it('before preflight (no plan yet) or without a merge: no merge wording', async () => {
    for (const merge of [() => ({ target: 'a.example', mergees: ['b.example'], findings: [] }), undefined]) {
      const tree = new ClusterTreeProvider(() => clusters, remote, merge);
      const b = await instanceItems(tree, 'b');
      assert.strictEqual(b.get('web1')?.description, 'running · b1');
      tree.dispose();
    }
  });
});

describe('cluster tree: node groups and networks of each cluster', () => {
  it('a cluster has Nodes, Instances, Node Groups and Networks; networks show subnet, gateway and use', async () => {
    const asked: string[][] = [];
    const remote = {
      run: async <T>(_host: string, command: { argv: readonly unknown[] }) => {
        asked.push(command.argv.map(String).slice(0, 2));
        if (command.argv[0] === 'gnt-network') {
          return [
            { name: 'vlan100', uuid: 'n-1', subnet: '10.0.100.0/24', gateway: '10.0.100.1', groupCount: 2, instanceCount: 7 },
            { name: 'backup', uuid: 'n-2', subnet: '10.9.0.0/28', groupCount: 0, instanceCount: 0 },
          ] as unknown as T;
        }
        return [{ name: 'default', uuid: 'g-1', nodeCount: 2, allocPolicy: 'preferred' }, { name: 'rack2', uuid: 'g-2', nodeCount: 1, allocPolicy: 'last_resort' }] as unknown as T;
      },
    };
    const tree = new ClusterTreeProvider(() => [{ name: 'a', host: 'a.example' }], remote);
    const [cluster] = await tree.getChildren();
    const folders = await tree.getChildren(cluster);
    assert.deepStrictEqual(folders.map((f) => tree.getTreeItem(f).label), ['Nodes', 'Instances', 'Node Groups', 'Networks']);
    const networks = await tree.getChildren(folders[3]);
    const items = networks.map((n) => tree.getTreeItem(n));
    assert.deepStrictEqual(items.map((i) => [i.label, i.description, i.id, i.contextValue]), [
      ['backup', '10.9.0.0/28 · 0 groups · 0 instances', 'cluster/a/networks/n-2', 'ganeti.network'],
      ['vlan100', '10.0.100.0/24 · 2 groups · 7 instances', 'cluster/a/networks/n-1', 'ganeti.network'],
    ]);
    assert.match(String(items[1].tooltip), /10\.0\.100\.0\/24, gateway 10\.0\.100\.1/);
    assert.doesNotMatch(String(items[0].tooltip), /gateway/);
    const groups = (await tree.getChildren(folders[2])).map((n) => tree.getTreeItem(n));
    assert.deepStrictEqual(groups.map((i) => [i.label, i.description]), [['default', '2 nodes · preferred'], ['rack2', '1 nodes · last_resort']]);
    assert.deepStrictEqual(asked, [['gnt-network', 'list'], ['gnt-group', 'list']], 'each folder lists only when expanded');
    tree.dispose();
  });
});

describe('cluster tree (Ganeti lab, read only)', function () {
  // Generous: every first ssh login to a lab node can be slow on a loaded machine.
  this.timeout(300_000);
  let api: GanetiMergeApi;
  let restore: (() => Promise<void>) | undefined;

  before(async function () {
    const lab = labOrSkip(this);
    api = await extensionApi();
    restore = await useLabSettings(api, lab);
  });

  after(async () => {
    await restore?.();
  });

  async function folder(cluster: string, kind: 'nodes' | 'instances' | 'groups'): Promise<ClusterTreeNode[]> {
    const tree = api.services.tree;
    const root = await tree.getChildren();
    const c = root.find((n) => n.kind === 'cluster' && n.cluster.name === cluster);
    assert.ok(c, `cluster ${cluster} not in the tree: ${root.map(rootName).join(', ')}`);
    const folders = await tree.getChildren(c);
    const f = folders.find((n) => n.kind === 'folder' && n.folder === kind)!;
    return tree.getChildren(f);
  }

  it('lists the configured clusters with stable ids and a cluster contextValue', async function () {
    const lab = labOrSkip(this);
    const root = await api.services.tree.getChildren();
    assert.deepStrictEqual(root.map(rootName), lab.clusters.map((c) => c.shortName));
    const items = root.map((n) => api.services.tree.getTreeItem(n));
    assert.deepStrictEqual(items.map((i) => i.id), lab.clusters.map((c) => `cluster/${c.shortName}`));
    assert.ok(items.every((i) => i.contextValue === 'ganeti.cluster'));
  });

  it("shows each cluster's nodes over ssh, the master marked with a coloured star", async function () {
    const lab = labOrSkip(this);
    const listed = await Promise.all(lab.clusters.map((c) => folder(c.shortName, 'nodes')));
    for (const [i, cluster] of lab.clusters.entries()) {
      const nodes = listed[i];
      const errors = nodes.filter((n) => n.kind === 'error');
      assert.deepStrictEqual(errors.map((e) => e.kind === 'error' && e.message), [], `fetching nodes of ${cluster.name} failed`);
      // Another suite may be merging the lab; the cluster's own nodes are always listed by its master.
      const names = nodes.map((n) => (n.kind === 'node' ? n.node.name : ''));
      for (const node of cluster.nodes) assert.ok(names.includes(node), `${node} missing from ${cluster.name}: ${names.join(', ')}`);
      const master = nodes.find((n) => n.kind === 'node' && n.node.name === cluster.master)!;
      const item = api.services.tree.getTreeItem(master);
      assert.strictEqual(item.contextValue, 'ganeti.node.master');
      assert.ok(item.iconPath instanceof vscode.ThemeIcon && item.iconPath.id === 'star-full' && item.iconPath.color instanceof vscode.ThemeColor);
      assert.strictEqual(item.id, `cluster/${cluster.shortName}/nodes/${cluster.master}`);
    }
  });

  it('shows instances with their state and primary node, and node groups', async function () {
    const lab = labOrSkip(this);
    const target = lab.clusters.find((c) => c.name === lab.targetCluster)!;
    const instances = await folder(target.shortName, 'instances');
    assert.deepStrictEqual(instances.map((n) => n.kind === 'error' && n.message).filter(Boolean), []);
    for (const expected of target.instances) {
      const row = instances.find((n) => n.kind === 'instance' && n.instance.name === expected.name);
      assert.ok(row && row.kind === 'instance', `${expected.name} missing`);
      assert.strictEqual(row.instance.primaryNode, expected.node);
      const item = api.services.tree.getTreeItem(row);
      assert.strictEqual(item.contextValue, `ganeti.instance.${row.instance.running ? 'running' : 'stopped'}`);
      assert.ok(String(item.description).includes(expected.node));
    }
    const groups = await folder(target.shortName, 'groups');
    assert.ok(groups.length > 0 && groups.every((g) => g.kind === 'group'), `groups: ${JSON.stringify(groups)}`);
  });

  it('shows an unreachable cluster as an error row instead of failing', async () => {
    const configuration = vscode.workspace.getConfiguration('ganetiMerge');
    const clusters = configuration.inspect<unknown[]>('clusters')?.globalValue ?? [];
    await configuration.update('clusters', [...clusters, { name: 'nowhere', host: 'nowhere.invalid' }], vscode.ConfigurationTarget.Global);
    await settled(() => api.services.settings().clusters.some((c) => c.name === 'nowhere'));
    const nodes = await folder('nowhere', 'nodes');
    assert.strictEqual(nodes.length, 1);
    assert.strictEqual(nodes[0].kind, 'error');
    assert.strictEqual(api.services.tree.getTreeItem(nodes[0]).contextValue, 'ganeti.error');
  });
});
