/** guestImpact: which incoming instances a merge changes in a way their running guest would notice. */
import * as assert from 'node:assert/strict';
import { guestImpact, type GuestImpact } from '../../../src/core/config/merge/guest-impact';
import type { GanetiConfig, JsonObject } from '../../../src/core/config/types';
import { assertOk, cluster, firstInstance, instances, merge } from './merge-helpers';

const OPTIONS = { groups: 'merge' as const, allowInstancesUp: true };

function impact(t: GanetiConfig, b: GanetiConfig, opts: object = {}): GuestImpact[] {
  // the merge may consume nothing of b: keep an untouched copy to compare against
  const before = structuredClone(b);
  const merged = assertOk(merge(t, [b], { ...OPTIONS, ...opts }));
  return guestImpact([{ config: before, source: 'in1.json' }], merged);
}

const changed = (list: GuestImpact[]) => list.filter((i) => i.reasons.length > 0);
const byName = (list: GuestImpact[], name: string) => list.find((i) => i.instance === name)!;

describe('guestImpact: what a running guest would notice', () => {
  let t: GanetiConfig;
  let b: GanetiConfig;
  beforeEach(() => {
    t = cluster('alpha', { drbdFraction: 0 });
    b = cluster('beta', { drbdFraction: 0 });
  });

  it('lists every incoming instance, and none changes in a plain merge of local-storage clusters', () => {
    const list = impact(t, b);
    assert.equal(list.length, instances(b).length);
    assert.deepEqual(changed(list), []);
  });

  it('a DRBD disk whose port is renumbered must stop, without the DRBD secret in the reason', () => {
    // the target's own DRBD disks hold the first ports, so beta's are really renumbered
    t = cluster('alpha', { drbdFraction: 0.5 });
    b = cluster('beta', { drbdFraction: 1 });
    const secrets = Object.values(b.disks).map((d) => (d.logical_id as string[])[5]).filter(Boolean);
    const list = impact(t, b);
    assert.ok(list.length > 0);
    for (const i of list) {
      assert.ok(i.reasons.some((r) => /^disk 0.* DRBD port: \d+ -> \d+$/.test(r)), `${i.instance}: ${i.reasons.join('; ')}`);
      for (const s of secrets) assert.ok(!i.reasons.join('\n').includes(s), 'a DRBD secret reached a reason');
    }
  });

  it('a regenerated MAC stops exactly the instance whose NIC it is', () => {
    const victim = firstInstance(b);
    victim.nics[0].mac = firstInstance(t).nics[0].mac;
    const list = impact(t, b, { regenerateMacs: true });
    assert.deepEqual(changed(list).map((i) => i.instance), [victim.name]);
    assert.match(byName(list, victim.name).reasons.join('\n'), /^nic 0 MAC: "[0-9a-f:]+" -> "[0-9a-f:]+"$/m);
  });

  it('a target default that an instance inherits (memory) stops it, unless pinned with pinDefaults', () => {
    (t.cluster.beparams as JsonObject).default = { ...(t.cluster.beparams as { default: JsonObject }).default, maxmem: 4096 };
    for (const i of instances(b)) delete (i.beparams as JsonObject).maxmem;
    const warned = impact(t, structuredClone(b), { params: 'warn' });
    assert.ok(warned.length > 0);
    for (const i of warned) assert.ok(i.reasons.some((r) => r.startsWith('beparams.maxmem: ')), i.reasons.join('; '));
    assert.deepEqual(changed(impact(t, b, { params: 'warn', pinDefaults: true })), []);
  });

  it('a KVM console port matters only when VNC or SPICE listens on it', () => {
    t = cluster('alpha', { drbdFraction: 0.5 });
    b = cluster('beta', { drbdFraction: 0, networkPortFraction: 1 });
    const kvm = instances(b).filter((i) => i.hypervisor === 'kvm' && typeof i.network_port === 'number');
    assert.ok(kvm.length > 0, 'the generator made no KVM instance with a console port');
    for (const i of kvm) assert.equal((i.hvparams as JsonObject).vnc_bind_address ?? '', '');
    assert.deepEqual(changed(impact(t, structuredClone(b))), [], 'ports renumbered but unused by the guest');
    for (const i of kvm) (i.hvparams as JsonObject).vnc_bind_address = '0.0.0.0';
    const list = impact(t, b);
    for (const i of kvm) assert.ok(byName(list, i.name).reasons.some((r) => r.startsWith('console port: ')), byName(list, i.name).reasons.join('; '));
  });

  it('an instance missing from the merged config is reported, never silently kept', () => {
    const before = structuredClone(b);
    const merged = assertOk(merge(t, [b], OPTIONS));
    const gone = firstInstance(before);
    delete merged.instances[gone.uuid];
    assert.deepEqual(byName(guestImpact([{ config: before, source: 'b' }], merged), gone.name).reasons, ['not in the merged config']);
  });

  it('a NIC whose node group connects its network with another link must stop', () => {
    b = cluster('beta', { drbdFraction: 0, withNetwork: true });
    const before = structuredClone(b);
    const merged = assertOk(merge(t, [b], OPTIONS));
    const onNet = instances(before).find((i) => i.nics.some((n) => typeof n.network === 'string'));
    assert.ok(onNet, 'the generator put no NIC on a network');
    const nicIndex = onNet.nics.findIndex((n) => typeof n.network === 'string');
    const nic = onNet.nics[nicIndex];
    // the merged group (where the primary node now is) connects the network with another bridge
    const mergedInst = merged.instances[onNet.uuid];
    const group = merged.nodegroups[merged.nodes[mergedInst.primary_node].group];
    group.networks = { ...(group.networks as JsonObject), [nic.network as string]: { mode: 'bridged', link: 'br-elsewhere', vlan: '' } };
    delete (mergedInst.nics[nicIndex].nicparams as JsonObject | undefined)?.link;
    const reasons = byName(guestImpact([{ config: before, source: 'b' }], merged), onNet.name).reasons;
    assert.ok(reasons.some((r) => r.startsWith(`nic ${nicIndex} link: `) && r.endsWith('"br-elsewhere"')), reasons.join('; '));
  });
});
