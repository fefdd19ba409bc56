// The lab suites' expected-union rule (test/integration/helpers/inventory.ts) on small inventories:
// the merged target must equal exactly this, so the rule itself must say what the spec says.
import * as assert from 'node:assert/strict';
import { announcedChanges, expectedUnion, parseInventory, type Inventory } from '../../integration/helpers/inventory';

const inv = (lines: Record<string, string[]>): Inventory => parseInventory(Object.fromEntries(Object.entries(lines).map(([k, v]) => [`inv_${k}`, v])));
const map = (reserved: number[]) => [...'................'].map((c, i) => (reserved.includes(i) ? 'X' : c)).join('');

const target = inv({
  nodes: ['a1|default|M|Y|N|N|Y|Y|node:a1'],
  groups: ['default|preferred|row:default'],
  networks: [`net|10.0.0.0/28|10.0.0.1|None|None|None|13|3|${map([0, 1, 15])}|10.0.0.0, 10.0.0.1, 10.0.0.15|default (bridged, gnt-br0, )|`],
  instances: ['ia|a1|up|Y|running|aa:00:0a:00:00:01|10.0.0.0|net|gnt-br0|bridged|diskless||'],
  cluster_tags: ['site:a'],
});
const mergee = inv({
  nodes: ['c1|default|M|Y|N|N|Y|Y|node:c1', 'c2|rack2|R|N|N|N|N|Y|'],
  groups: ['default|preferred|row:c', 'rack2|preferred|'],
  networks: [`net|10.0.0.0/28|10.0.0.1|None|None|None|12|4|${map([0, 1, 5, 15])}|10.0.0.0, 10.0.0.1, 10.0.0.15|rack2 (bridged, gnt-br0, ), default (bridged, gnt-br0, )|`],
  instances: ["ic|c1|down|N|ADMIN_down|aa:00:1e:00:00:01,aa:00:1e:00:00:02|10.0.0.5,10.0.0.6|['net', 'net']|gnt-br0,gnt-br0|bridged,bridged|file|1024|svc:c"],
  cluster_tags: ['site:c'],
});

describe('lab inventory: the expected union of a merge', () => {
  it('reads the merge summary\'s announced renames and absorptions per source cluster', () => {
    const a = announcedChanges('target a\ngroups renamed: rack2 (c) -> rack2-c\ngroups absorbed: default (c)\nnetworks absorbed: net (c)\nMACs regenerated: 2', 'up');
    assert.deepEqual([...a.groups], [['c/rack2', 'rack2-c'], ['c/default', 'default']]);
    assert.deepEqual([...a.networks], [['c/net', 'net']]);
    assert.equal(a.regeneratedMacs, 2);
    assert.throws(() => announcedChanges('groups renamed: rack2 (c)', 'up'), /cannot read/);
    assert.throws(() => announcedChanges('', 'none'), /not modelled/);
  });

  it('adds renamed groups, absorbs same-named ones, ORs absorbed networks, re-adds nodes as candidates', () => {
    const u = expectedUnion(target, { c: mergee }, announcedChanges('groups renamed: rack2 (c) -> rack2-c\ngroups absorbed: default (c)', 'up'));
    assert.deepEqual(Object.keys(u.groups).sort(), ['default', 'rack2-c']);
    assert.equal(u.groups.default.tags, 'row:default', 'the target group keeps its own tags');
    assert.deepEqual(u.nodes.c1, { ...mergee.nodes.c1, role: 'C' }, 'the mergee master: a candidate, its tags kept');
    assert.deepEqual(u.nodes.c2, { ...mergee.nodes.c2, group: 'rack2-c' }, 'not master capable: stays a regular node');
    assert.equal(u.networks.net.map, map([0, 1, 5, 15]));
    assert.equal(u.networks.net.reserved_count, '4');
    assert.equal(u.networks.net.free_count, '12');
    assert.equal(u.networks.net.group_list, 'default (bridged, gnt-br0, ), rack2-c (bridged, gnt-br0, )', 'connections unioned, renamed group followed');
    const renamed = expectedUnion(target, { c: mergee }, announcedChanges('networks renamed: net (c) -> net-c', 'up'));
    assert.equal(renamed.instances.ic['nic.networks.names'], "['net-c', 'net-c']");
    assert.equal(renamed.networks['net-c'].map, mergee.networks.net.map);
    assert.deepEqual(u.instances.ic, mergee.instances.ic, 'restart=up keeps a stopped instance stopped');
    assert.deepEqual(u.clusterTags, ['site:a']);
  });

  it('starts every instance under restart=all', () => {
    const u = expectedUnion(target, { c: mergee }, announcedChanges('', 'all'));
    assert.equal(u.instances.ic.status, 'running');
  });
});
