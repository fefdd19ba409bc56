import * as assert from 'assert';
import { verifyConfig } from '../../../src/core/config/verify';
import { serializeGaneti } from '../../../src/core/config/print';
import { generateCluster } from './generator';
import { deriveDistinctCluster } from './derive';
import { assertDisjoint } from './generator-identities';

describe('test helper: deriveDistinctCluster', () => {
  it('derives a valid cluster sharing no identity with its source, leaving the source unchanged', () => {
    const source = generateCluster({ name: 'origin', nodes: 6, withNetwork: true, drbdFraction: 0.5, networkPortFraction: 0.1, groups: 2 });
    const before = serializeGaneti(source);
    const derived = deriveDistinctCluster(source, { name: 'copy', ipBase: '10.200', macPrefix: 'aa:20:00' });
    assert.strictEqual(serializeGaneti(source), before);
    assert.deepStrictEqual(verifyConfig(derived), []);
    // NIC IPs stay: they belong to the network, which keeps its CIDR (merging networks is the merger's business).
    assertDisjoint(source, derived, ['nicip']);
    assert.strictEqual(derived.cluster.cluster_name, 'copy.example.com');
    assert.strictEqual(Object.keys(derived.instances).length, Object.keys(source.instances).length);
    assert.strictEqual(Object.keys(derived.disks).length, Object.keys(source.disks).length);
  });

  it('rewrites every reference: master, groups, disks, DRBD nodes, NIC networks, candidate certs', () => {
    const source = generateCluster({ name: 'refs', nodes: 4, withNetwork: true, drbdFraction: 1 });
    const d = deriveDistinctCluster(source, { name: 'refs2' });
    assert.ok(d.cluster.master_node in d.nodes);
    for (const key of Object.keys(d.cluster.candidate_certs as object)) assert.ok(key in d.nodes);
    for (const n of Object.values(d.nodes)) assert.ok(n.group in d.nodegroups);
    for (const g of Object.values(d.nodegroups)) for (const net of Object.keys(g.networks as object)) assert.ok(net in d.networks);
    for (const i of Object.values(d.instances)) {
      assert.ok(i.primary_node in d.nodes);
      for (const disk of i.disks) assert.ok(disk in d.disks);
      for (const nic of i.nics) if (nic.network) assert.ok((nic.network as string) in d.networks);
    }
    for (const disk of Object.values(d.disks)) {
      assert.ok((disk.logical_id[0] as string) in d.nodes && (disk.logical_id[1] as string) in d.nodes);
    }
  });

  it('is deterministic for a given name and seed', () => {
    const source = generateCluster({ name: 'det', nodes: 3 });
    assert.strictEqual(serializeGaneti(deriveDistinctCluster(source, { name: 'x', seed: 3 })), serializeGaneti(deriveDistinctCluster(source, { name: 'x', seed: 3 })));
  });
});
