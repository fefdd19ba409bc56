import * as assert from 'assert';
import type { JsonObject } from '../../../src/core/config/types';
import { serializeGaneti } from '../../../src/core/config/print';
import { verifyConfig } from '../../../src/core/config/verify';
import { unknownFieldFindings } from '../../../src/core/config/model/fields';
import { generateCluster } from './generator';
import { assertDisjoint, identities } from './generator-identities';

describe('test generator: generateCluster', () => {
  it('is deterministic for equal options', () => {
    const opts = { name: 'det', nodes: 5, withNetwork: true, seed: 7 };
    assert.strictEqual(serializeGaneti(generateCluster(opts)), serializeGaneti(generateCluster(opts)));
  });

  it('produces valid clusters of several sizes and all supported versions', () => {
    for (const version of [2160000, 3000000, 3010000]) {
      for (const nodes of [1, 2, 3, 17, 120]) {
        const c = generateCluster({ name: `v${version}n${nodes}`, nodes, version, withNetwork: nodes % 2 === 1, networkPortFraction: 0.1, freePorts: 1, groups: nodes > 2 ? 3 : 1 });
        assert.strictEqual(c.version, version);
        assert.deepStrictEqual(verifyConfig(c), [], `version ${version}, ${nodes} nodes`);
        assert.deepStrictEqual(unknownFieldFindings(c), []);
      }
    }
  });

  it('models the real 3.0 shape: empty members, instances down, disk nodes, DRBD children with uuids', () => {
    const c = generateCluster({ name: 'shape', nodes: 8, withNetwork: true });
    for (const g of Object.values(c.nodegroups)) assert.deepStrictEqual(g.members, []);
    for (const i of Object.values(c.instances)) {
      assert.strictEqual(i.admin_state, 'down');
      assert.strictEqual(i.disks_active, false);
    }
    const drbd = Object.values(c.disks).filter((d) => d.dev_type === 'drbd');
    assert.strictEqual(drbd.length, Math.floor(16 * 0.3), 'default drbdFraction 0.3');
    for (const d of drbd) {
      const children = d.children as JsonObject[];
      assert.strictEqual(children.length, 2);
      for (const child of children) {
        assert.strictEqual(child.dev_type, 'plain');
        assert.match(String(child.uuid), /^[0-9a-f-]{36}$/);
        assert.deepStrictEqual(child.nodes, d.nodes);
      }
      assert.deepStrictEqual(d.nodes, d.logical_id.slice(0, 2));
    }
    for (const d of Object.values(c.disks)) assert.ok(Array.isArray(d.nodes) && d.nodes.length >= 1);
    const types = new Set(Object.values(c.disks).map((d) => d.dev_type));
    assert.deepStrictEqual([...types].sort(), ['drbd', 'file', 'plain']);
    const twoDisks = Object.values(c.instances).filter((i) => i.disks.length === 2);
    assert.ok(twoDisks.length > 0 && twoDisks.every((i) => c.disks[i.disks[1]].iv_name === 'disk/1'));
    const net = Object.values(c.networks)[0];
    const onNet = Object.values(c.instances).flatMap((i) => i.nics).filter((n) => n.network === net.uuid);
    assert.strictEqual((net.reservations as string).split('').filter((b) => b === '1').length, onNet.length);
  });

  it('allocates ports the Ganeti way from 11000 and records highest_used_port', () => {
    const c = generateCluster({ name: 'ports', nodes: 6, drbdFraction: 0.5, networkPortFraction: 0.25, freePorts: 3 });
    const ports = [
      ...Object.values(c.disks).filter((d) => d.dev_type === 'drbd').map((d) => d.logical_id[2] as number),
      ...Object.values(c.instances).map((i) => i.network_port).filter((p): p is number => typeof p === 'number'),
      ...c.cluster.tcpudp_port_pool,
    ].sort((a, b) => a - b);
    assert.deepStrictEqual(ports, ports.map((_, k) => 11000 + k));
    assert.strictEqual(c.cluster.highest_used_port, 11000 + ports.length - 1);
    assert.strictEqual(c.cluster.tcpudp_port_pool.length, 3);
  });

  it('refuses to exceed the port range instead of producing an invalid cluster', () => {
    assert.throws(() => generateCluster({ name: 'full', nodes: 2100, instancesPerNode: 2, drbdFraction: 1 }), /port range/);
  });

  it('gives different names and seeds disjoint identities', () => {
    assertDisjoint(generateCluster({ name: 'alpha', nodes: 5, withNetwork: true }), generateCluster({ name: 'beta', nodes: 5, withNetwork: true }));
    const [a, b] = [1, 2].map((seed) => generateCluster({ name: 'same', nodes: 5, seed, ipBase: `10.${seed}`, macPrefix: `aa:00:0${seed}` }));
    const uuidsA = identities(a).get('uuid')!;
    assert.ok([...identities(b).get('uuid')!].every((u) => !uuidsA.has(u)), 'seeds must give different uuids');
    assert.deepStrictEqual(identities(a).get('name'), identities(b).get('name'), 'names depend on the cluster name only');
  });

  it('builds 10,000 instances quickly', function () {
    this.timeout(60000);
    const started = Date.now();
    const c = generateCluster({ name: 'big', nodes: 1000, instancesPerNode: 10, withNetwork: true });
    const ms = Date.now() - started;
    assert.strictEqual(Object.keys(c.instances).length, 10000);
    assert.ok(ms < 5000, `took ${ms} ms`);
    assert.deepStrictEqual(verifyConfig(c), []);
  });
});
