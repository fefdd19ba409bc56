/**
 * Properties of mergeConfigs over random generated inputs: the result satisfies every
 * invariant, conserves objects, is deterministic, leaves the inputs alone, folds left, and
 * allocates ports like Ganeti.
 */
import * as assert from 'node:assert/strict';
import { mergeConfigs } from '../../../src/core/config/merge';
import type { MergeOptionsInput } from '../../../src/core/config/merge/options';
import { FIRST_DRBD_PORT, LAST_DRBD_PORT } from '../../../src/core/config/merge/ports';
import type { GanetiConfig, JsonObject } from '../../../src/core/config/types';
import { SUPPORTED_VERSIONS } from '../../../src/core/config/version';
import { verifyConfig } from '../../../src/core/config/verify';
import { generateCluster } from './generator';
import { SeededRandom } from './generator-random';
import { assertError, assertOk, cluster, firstInstance, instances, merge, NOW } from './merge-helpers';

const NAMES = ['alpha', 'beta', 'gamma', 'delta'];

function randomInputs(seed: number): { clusters: GanetiConfig[]; options: MergeOptionsInput } {
  const prng = new SeededRandom(seed);
  const rnd = { int: (n: number) => prng.nextUint32() % n };
  const count = 2 + rnd.int(3);
  const version = SUPPORTED_VERSIONS[rnd.int(SUPPORTED_VERSIONS.length)];
  const clusters = NAMES.slice(0, count).map((name, i) => generateCluster({
    name, version, seed: seed * 10 + i, nodes: 1 + rnd.int(6), instancesPerNode: rnd.int(4), groups: 1 + rnd.int(2),
    drbdFraction: rnd.int(2) * 0.4, networkPortFraction: rnd.int(2) * 0.3, withNetwork: rnd.int(2) === 1, freePorts: rnd.int(3),
  }));
  const options: MergeOptionsInput = {
    groups: rnd.int(2) === 0 ? 'merge' : 'rename', networks: 'rename', params: rnd.int(2) === 0 ? 'strict' : 'warn',
    regenerateMacs: rnd.int(2) === 1, macSeed: seed, now: NOW,
  };
  return { clusters, options };
}

const count = (c: GanetiConfig, k: 'nodes' | 'instances' | 'disks' | 'nodegroups' | 'networks') => Object.keys(c[k]).length;

describe('mergeConfigs: properties over random inputs', () => {
  for (let seed = 1; seed <= 12; seed++) {
    it(`seed ${seed}: merging 2-4 random clusters satisfies every invariant and conserves objects`, () => {
      const { clusters, options } = randomInputs(seed);
      const [target, ...incoming] = clusters;
      const snapshot = clusters.map((c) => JSON.stringify(c));
      const r = mergeConfigs(target, incoming.map((config, i) => ({ config, source: `in${i}` })), options);
      const merged = assertOk(r);
      assert.deepEqual(verifyConfig(merged, { inputVersion: target.version }).map((f) => f.message), []);
      assert.deepEqual(clusters.map((c) => JSON.stringify(c)), snapshot, 'inputs unchanged');
      for (const k of ['nodes', 'instances', 'disks'] as const) {
        assert.equal(count(merged, k), clusters.reduce((n, c) => n + count(c, k), 0), k);
        for (const c of clusters) for (const u of Object.keys(c[k])) assert.ok(u in merged[k], `${k} ${u}`);
      }
      const renamed = r.report.renamedGroups.length;
      const absorbed = r.report.absorbedGroups.length;
      assert.equal(count(merged, 'nodegroups'), clusters.reduce((n, c) => n + count(c, 'nodegroups'), 0) - absorbed);
      assert.equal(renamed + absorbed > 0, clusters.length > 1, 'every input has a "default" group');
      for (const c of incoming) {
        for (const n of Object.values(c.nodes)) {
          const out = merged.nodes[n.uuid];
          assert.deepEqual([out.offline, out.master_candidate, out.drained, out.serial_no, out.ctime, out.mtime], [true, false, false, 1, NOW, NOW]);
        }
        for (const i of Object.values(c.instances)) assert.equal(merged.instances[i.uuid].mtime, NOW);
      }
      assert.ok(merged.serial_no > target.serial_no && Number(merged.cluster.serial_no) > Number(target.cluster.serial_no));
      assert.equal(merged.mtime, NOW);
      assert.equal(merged.ctime, target.ctime);
      assert.equal(merged.cluster.uuid, target.cluster.uuid);
      const fresh = [...r.report.reallocatedDiskPorts, ...r.report.reallocatedConsolePorts].map((p) => p.to);
      assert.equal(new Set(fresh).size, fresh.length, 'no port handed out twice');
      for (const p of fresh) assert.ok(p >= FIRST_DRBD_PORT && p <= LAST_DRBD_PORT, `port ${p}`);
      assert.ok(fresh.every((p) => p <= merged.cluster.highest_used_port));
    });
  }

  it('is deterministic: same inputs, now and seed give byte-identical output (I-34)', () => {
    const make = () => {
      const t = cluster('alpha', { nodes: 4, withNetwork: true, networkPortFraction: 0.5 });
      const b = cluster('beta', { nodes: 4, withNetwork: true, networkPortFraction: 0.5 });
      firstInstance(b).nics[0].mac = firstInstance(t).nics[0].mac; // forces a regenerated MAC
      return [t, b];
    };
    const out = () => {
      const [t, b] = make();
      return `${JSON.stringify(assertOk(merge(t, [b], { groups: 'rename', regenerateMacs: true, macSeed: 9 })))}\n`;
    };
    const first = out();
    assert.equal(out(), first);
    const [t, b] = make();
    const other = `${JSON.stringify(assertOk(merge(t, [b], { groups: 'rename', regenerateMacs: true, macSeed: 10 })))}\n`;
    assert.notEqual(other, first, 'the seed matters');
  });

  it('consumeInputs (inputs handed over, no clones) yields the same bytes as the pure path', () => {
    const make = () => [cluster('alpha', { withNetwork: true, networkPortFraction: 0.3 }), cluster('beta', { withNetwork: true }), cluster('gamma')];
    const pure = make();
    const expected = JSON.stringify(assertOk(merge(pure[0], pure.slice(1), { groups: 'rename' })));
    const owned = make();
    const merged = assertOk(merge(owned[0], owned.slice(1), { groups: 'rename', consumeInputs: true }));
    assert.equal(JSON.stringify(merged), expected);
    assert.equal(merged, owned[0], 'the target object itself became the result');
  });

  it('does not mutate its inputs, even when it fails', () => {
    const t = cluster('alpha');
    const b = cluster('beta');
    const before = [JSON.stringify(t), JSON.stringify(b)];
    assertOk(merge(t, [b], { groups: 'merge', regenerateMacs: true }));
    firstInstance(b).admin_state = 'up';
    const failing = [JSON.stringify(t), JSON.stringify(b)];
    assertError(merge(t, [b], { groups: 'merge' }), 'E_INSTANCE_ACTIVE');
    assert.equal(JSON.stringify(t), before[0]);
    assert.deepEqual([JSON.stringify(t), JSON.stringify(b)], failing);
  });

  describe('left fold over three clusters', () => {
    it('checks the third input against target + second (a name clash with the second input)', () => {
      const t = cluster('alpha');
      const b = cluster('beta');
      const c = cluster('gamma');
      firstInstance(c).name = firstInstance(b).name;
      const r = merge(t, [b, c], { groups: 'merge' });
      assertError(r, 'E_INSTANCE_NAME_COLLISION', firstInstance(b).name);
      assert.ok(r.report.errors.every((e) => e.source === 'in2.json'), 'only the third input is blamed');
    });
    it('keeps allocating ports after the second input and bumps the cluster serial per input', () => {
      const t = cluster('alpha');
      const b = cluster('beta');
      const c = cluster('gamma');
      const r = merge(t, [b, c], { groups: 'merge' });
      const merged = assertOk(r);
      const bySource = (s: string) => r.report.reallocatedDiskPorts.filter((p) => p.source === s).map((p) => p.to);
      const fromB = bySource('in1.json');
      const fromC = bySource('in2.json');
      assert.ok(fromB.length > 0 && fromC.length > 0);
      assert.ok(Math.max(...fromB) < Math.min(...fromC), 'C continues where B stopped');
      assert.equal(merged.cluster.highest_used_port, Math.max(...fromC));
      assert.equal(merged.cluster.serial_no, Number(t.cluster.serial_no) + 2);
      assert.equal(merged.serial_no, t.serial_no + 1);
    });
  });

  describe('ports (3.6)', () => {
    it('takes the pool head first, then highest_used_port + 1, and writes both back', () => {
      const t = cluster('alpha', { freePorts: 2 });
      const b = cluster('beta', { networkPortFraction: 0.5 });
      const pool = [...t.cluster.tcpudp_port_pool];
      assert.equal(pool.length, 2);
      const r = merge(t, [b], { groups: 'merge' });
      const merged = assertOk(r);
      const order = [...r.report.reallocatedDiskPorts.map((p) => ({ ...p, kind: 'disk' })), ...r.report.reallocatedConsolePorts.map((p) => ({ ...p, kind: 'console' }))];
      const all = order.map((p) => p.to).sort((x, y) => x - y);
      const needed = all.length;
      assert.ok(needed > 2);
      const expected = [...pool, ...Array.from({ length: needed - 2 }, (_, i) => t.cluster.highest_used_port + 1 + i)].sort((x, y) => x - y);
      assert.deepEqual(all, expected);
      assert.deepEqual(merged.cluster.tcpudp_port_pool, []);
      assert.equal(merged.cluster.highest_used_port, t.cluster.highest_used_port + needed - 2);
      for (const i of instances(b)) {
        if (typeof i.network_port === 'number') assert.notEqual(merged.instances[i.uuid].network_port, i.network_port);
      }
      for (const d of r.report.reallocatedDiskPorts) {
        const disk = merged.disks[d.disk];
        assert.equal((disk.logical_id as number[])[2], d.to);
        assert.equal(disk.serial_no, (b.disks[d.disk].serial_no as number) + 1);
        assert.equal(disk.mtime, NOW);
        assert.deepEqual([...disk.logical_id.slice(0, 2), ...disk.logical_id.slice(3)], [...b.disks[d.disk].logical_id.slice(0, 2), ...b.disks[d.disk].logical_id.slice(3)]);
      }
    });
    it('renumbers in instance-name order, disks in order, then the console port, then detached disks', () => {
      const t = cluster('alpha');
      const b = cluster('beta', { nodes: 3, instancesPerNode: 3, networkPortFraction: 0.5 });
      const detached = Object.values(b.disks).find((d) => d.dev_type === 'drbd')!;
      const owner = instances(b).find((i) => i.disks.includes(detached.uuid))!;
      owner.disks = owner.disks.filter((u) => u !== detached.uuid);
      owner.disks.forEach((u, k) => { b.disks[u].iv_name = `disk/${k}`; });
      const r = merge(t, [b], { groups: 'merge' });
      assertOk(r);
      const sequence: string[] = [];
      for (const i of instances(b).sort((x, y) => (x.name < y.name ? -1 : 1))) {
        for (const u of i.disks) if (b.disks[u].dev_type === 'drbd') sequence.push(`disk ${u}`);
        if (typeof i.network_port === 'number') sequence.push(`console ${i.name}`);
      }
      sequence.push(`disk ${detached.uuid}`);
      const events = [
        ...r.report.reallocatedDiskPorts.map((p) => ({ to: p.to, what: `disk ${p.disk}` })),
        ...r.report.reallocatedConsolePorts.map((p) => ({ to: p.to, what: `console ${p.instance}` })),
      ].sort((x, y) => x.to - y.to).map((e) => e.what);
      assert.deepEqual(events, sequence);
      assert.equal(r.report.reallocatedDiskPorts.find((p) => p.disk === detached.uuid)?.instance, null);
    });
  });
});

describe('mergeConfigs: strategies', () => {
  it('groups=merge: incoming nodes join the same-named target group, which is not duplicated', () => {
    const t = cluster('alpha');
    const b = cluster('beta');
    const merged = assertOk(merge(t, [b], { groups: 'merge' }));
    const targetDefault = Object.values(t.nodegroups)[0];
    assert.equal(Object.keys(merged.nodegroups).length, 1);
    for (const n of Object.values(b.nodes)) assert.equal(merged.nodes[n.uuid].group, targetDefault.uuid);
    assert.deepEqual(merged.nodegroups[targetDefault.uuid], targetDefault, 'nothing to add: the group is unchanged');
  });
  it('groups=rename: the incoming group keeps its uuid under "<name>-<cluster>" with fresh bookkeeping', () => {
    const t = cluster('alpha');
    const b = cluster('beta');
    const r = merge(t, [b], { groups: 'rename' });
    const merged = assertOk(r);
    const g = Object.values(b.nodegroups)[0];
    const out = merged.nodegroups[g.uuid];
    assert.deepEqual([out.name, out.serial_no, out.ctime, out.mtime], ['default-beta.example.com', 1, NOW, NOW]);
    assert.deepEqual(r.report.renamedGroups, [{ source: 'in1.json', uuid: g.uuid, from: 'default', to: 'default-beta.example.com' }]);
    assert.deepEqual(out.members ?? [], [], 'members never filled');
  });
  it('networks=merge: reservations are OR-ed, NICs and group connections point at the target network', async () => {
    const { twinNetwork, networks } = await import('./merge-helpers');
    const t = cluster('alpha', { withNetwork: true });
    const b = cluster('beta', { withNetwork: true });
    const { net, into } = twinNetwork(b, t, 20000);
    const r = merge(t, [b], { groups: 'rename', networks: 'merge' });
    const merged = assertOk(r);
    assert.deepEqual(Object.keys(merged.networks), [into.uuid]);
    const out = merged.networks[into.uuid];
    const or = [...String(into.reservations)].map((x, i) => (x === '1' || String(net.reservations)[i] === '1' ? '1' : '0')).join('');
    assert.equal(out.reservations, or);
    assert.equal(out.serial_no, (into.serial_no as number) + 1);
    for (const i of instances(b)) {
      for (const [k, nic] of i.nics.entries()) if (nic.network) assert.equal(merged.instances[i.uuid].nics[k].network, into.uuid);
    }
    const renamedGroup = merged.nodegroups[Object.keys(b.nodegroups)[0]];
    assert.deepEqual(Object.keys(renamedGroup.networks as JsonObject), [into.uuid]);
    assert.deepEqual(r.report.absorbedNetworks.map((a) => a.uuid), [net.uuid]);
    assert.equal(networks(merged).length, 1);
  });
  it('networks=rename: a same-named network is copied as "<name>-<cluster>"', () => {
    const t = cluster('alpha', { withNetwork: true });
    const b = cluster('beta', { withNetwork: true });
    const net = Object.values(b.networks)[0];
    net.name = Object.values(t.networks)[0].name;
    const r = merge(t, [b], { groups: 'merge', networks: 'rename' });
    const merged = assertOk(r);
    assert.equal(merged.networks[net.uuid].name, `${net.name}-beta.example.com`);
    assert.equal(Object.keys(merged.networks).length, 2);
    assert.equal(r.report.renamedNetworks[0].to, `${net.name}-beta.example.com`);
  });
  it('rejects invalid options with a specific message', () => {
    const t = cluster('alpha');
    assert.throws(() => merge(t, [], { groups: 'sideways' as never }), /groups must be one of none\|refuse\|merge\|rename/);
    assert.throws(() => merge(t, [], { now: Number.NaN }), /now must be/);
    assert.throws(() => merge(t, [], { colour: 'red' } as never), /unknown merge option "colour"/);
  });
});
