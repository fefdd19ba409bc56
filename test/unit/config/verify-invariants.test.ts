/**
 * For each invariant: break exactly it on a clean generated cluster and expect verifyConfig to
 * report it (code E_INPUT_INVALID, message naming the rule) and nothing else.
 */
import * as assert from 'assert';
import type { GanetiConfig, JsonObject } from '../../../src/core/config/types';
import { verifyConfig, type VerifyOptions } from '../../../src/core/config/verify';
import { readDrbdLogicalId } from '../../../src/core/config/model/disk-walk';
import { disksOf, instanceWith, instancesOf, networkNics, nodesOf, sampleCluster, verifyRules } from './verify-helpers';

interface Case {
  rules: string[];
  what: string;
  breakIt: (c: GanetiConfig) => void;
  opts?: VerifyOptions;
}

const nonMaster = (c: GanetiConfig) => nodesOf(c).filter((n) => n.uuid !== c.cluster.master_node);
const drbdLids = (c: GanetiConfig) => disksOf(c, 'drbd').map((d) => d.logical_id);

const CASES: Case[] = [
  { rules: ['I-1'], what: 'a missing top-level map', breakIt: (c) => delete (c as JsonObject).filters },
  { rules: ['I-2'], what: 'an unsupported version', breakIt: (c) => (c.version = 2150000) },
  { rules: ['I-2'], what: 'a version differing from the input version', breakIt: () => undefined, opts: { inputVersion: 3010000 } },
  { rules: ['I-3'], what: 'no rsahostkeypub', breakIt: (c) => delete c.cluster.rsahostkeypub },
  { rules: ['I-3'], what: 'cluster.config_version', breakIt: (c) => (c.cluster.config_version = 1) },
  { rules: ['I-4'], what: 'a node whose uuid differs from its key', breakIt: (c) => (nonMaster(c)[0].uuid = '00000000-0000-4000-8000-000000000001') },
  { rules: ['I-4'], what: 'a disk whose uuid differs from its key', breakIt: (c) => (disksOf(c, 'plain')[0].uuid = '00000000-0000-4000-8000-000000000002') },
  { rules: ['I-5'], what: 'a non-empty group members list', breakIt: (c) => (Object.values(c.nodegroups)[0].members = [nodesOf(c)[0].uuid]) },
  { rules: ['I-5'], what: 'a persisted disk_template', breakIt: (c) => (instancesOf(c)[0].disk_template = 'plain') },
  { rules: ['I-5'], what: 'a disk physical_id in a DRBD child', breakIt: (c) => ((disksOf(c, 'drbd')[0].children as JsonObject[])[0].physical_id = []) },
  { rules: ['5.3'], what: 'a node without primary_ip', breakIt: (c) => delete (nodesOf(c)[1] as JsonObject).primary_ip },
  { rules: ['5.3'], what: 'a node whose secondary_ip is not a string', breakIt: (c) => ((nodesOf(c)[1] as JsonObject).secondary_ip = 11000) },
  { rules: ['5.3'], what: 'an instance without name', breakIt: (c) => delete (instancesOf(c)[0] as JsonObject).name },
  { rules: ['5.3'], what: 'an instance without nics (Ganeti writes [] for none)', breakIt: (c) => delete (instancesOf(c)[0] as JsonObject).nics },
  { rules: ['5.3'], what: 'a disk without size', breakIt: (c) => delete (disksOf(c, 'plain')[0] as JsonObject).size },
  { rules: ['I-7'], what: 'an enabled hypervisor without hvparams', breakIt: (c) => delete (c.cluster.hvparams as JsonObject).kvm },
  { rules: ['I-8', 'I-17a'], what: 'no enabled disk templates', breakIt: (c) => (c.cluster.enabled_disk_templates = []) },
  { rules: ['I-9'], what: 'master_node not in nodes', breakIt: (c) => (c.cluster.master_node = '00000000-0000-4000-8000-000000000003') },
  { rules: ['I-9', 'I-20'], what: 'an offline master', breakIt: (c) => (c.nodes[c.cluster.master_node].offline = true) },
  { rules: ['I-10'], what: 'an unknown ipolicy key', breakIt: (c) => ((c.cluster.ipolicy as JsonObject).foo = 1) },
  { rules: ['I-10'], what: 'a bad rbd access mode', breakIt: (c) => (((c.cluster.diskparams as JsonObject).rbd as JsonObject).access = 'both') },
  {
    rules: ['I-12'], what: 'a console port equal to a DRBD port',
    breakIt: (c) => (instancesOf(c).find((i) => typeof i.network_port === 'number')!.network_port = drbdLids(c)[0][2]),
  },
  { rules: ['I-12'], what: 'a pool port still in use', breakIt: (c) => c.cluster.tcpudp_port_pool.push(drbdLids(c)[1][2] as number) },
  {
    rules: ['I-12'], what: 'a detached DRBD disk reusing a port',
    breakIt: (c) => {
      const copy = structuredClone(disksOf(c, 'drbd')[0]);
      copy.uuid = '00000000-0000-4000-8000-00000000000b';
      const [a, b] = nodesOf(c).slice(2, 4).map((n) => n.uuid);
      copy.logical_id = [a, b, copy.logical_id[2], 90, 90, 'secret'];
      copy.nodes = [a, b];
      copy.children = [];
      c.disks[copy.uuid] = copy;
    },
  },
  { rules: ['I-13'], what: 'highest_used_port below a used port', breakIt: (c) => (c.cluster.highest_used_port = 11000) },
  {
    rules: ['I-15'], what: 'two DRBD disks sharing a minor on one node',
    breakIt: (c) => {
      const lids = drbdLids(c);
      const a = readDrbdLogicalId({ logical_id: lids[0] })!;
      const other = lids.find((l, k) => k > 0 && (l[0] === a.nodeA || l[1] === a.nodeA))!;
      other[other[0] === a.nodeA ? 3 : 4] = a.minorA;
    },
  },
  { rules: ['I-16'], what: 'a 5-element DRBD logical_id', breakIt: (c) => drbdLids(c)[0].pop() },
  { rules: ['I-16'], what: 'a DRBD disk naming one node twice', breakIt: (c) => ((l) => (l[1] = l[0]))(drbdLids(c)[0]) },
  { rules: ['I-16'], what: 'a DRBD secret that is not a string', breakIt: (c) => (drbdLids(c)[0][5] = 5) },
  { rules: ['I-17'], what: 'an unknown primary node', breakIt: (c) => (instanceWith(c, 'plain').primary_node = '00000000-0000-4000-8000-000000000004') },
  { rules: ['I-17'], what: 'a reference to a missing disk', breakIt: (c) => instanceWith(c, 'plain').disks.push('00000000-0000-4000-8000-000000000005') },
  { rules: ['I-17'], what: 'a wrong iv_name', breakIt: (c) => (c.disks[instanceWith(c, 'plain').disks[0]].iv_name = 'disk/7') },
  { rules: ['I-17'], what: 'a bad disk mode', breakIt: (c) => (disksOf(c, 'plain')[0].mode = 'rx') },
  {
    rules: ['I-17a'], what: 'one disk used by two instances',
    breakIt: (c) => {
      const [a, b] = instancesOf(c).filter((i) => c.disks[i.disks[0]].dev_type === 'plain');
      b.primary_node = a.primary_node;
      b.disks = [a.disks[0]];
    },
  },
  { rules: ['I-17a'], what: 'a NIC on an unknown network', breakIt: (c) => (networkNics(c)[0].network = '00000000-0000-4000-8000-000000000006') },
  { rules: ['I-17a'], what: 'a group connected to an unknown network', breakIt: (c) => (Object.values(c.nodegroups)[1].networks = { '00000000-0000-4000-8000-000000000007': {} }) },
  { rules: ['I-17a'], what: 'candidate_certs for an unknown node', breakIt: (c) => ((c.cluster.candidate_certs as JsonObject)['00000000-0000-4000-8000-000000000008'] = 'x') },
  {
    rules: ['I-17a'], what: 'a DRBD instance whose primary is not a DRBD node',
    breakIt: (c) => {
      const inst = instanceWith(c, 'drbd');
      const lid = c.disks[inst.disks[0]].logical_id;
      inst.primary_node = nodesOf(c).find((n) => n.uuid !== lid[0] && n.uuid !== lid[1])!.uuid;
    },
  },
  { rules: ['I-17a'], what: 'a disk template that is not enabled', breakIt: (c) => (c.cluster.enabled_disk_templates = ['drbd', 'file', 'sharedfile']) },
  { rules: ['I-17a'], what: 'a hypervisor that is not enabled', breakIt: (c) => (instancesOf(c)[0].hypervisor = 'lxc') },
  { rules: ['I-17a'], what: 'a disk "nodes" entry that is not a node', breakIt: (c) => ((disksOf(c, 'drbd')[0].children as JsonObject[])[1].nodes = ['nope']) },
  { rules: ['I-18'], what: 'a node in an unknown group', breakIt: (c) => (nodesOf(c)[2].group = '00000000-0000-4000-8000-000000000009') },
  { rules: ['I-19'], what: 'a MAC used twice (case differs)', breakIt: (c) => (instancesOf(c)[1].nics[0].mac = instancesOf(c)[0].nics[0].mac.toUpperCase()) },
  { rules: ['I-20'], what: 'a node both candidate and offline', breakIt: (c) => (nonMaster(c)[0].offline = true) },
  { rules: ['I-21'], what: 'too few master candidates', breakIt: (c) => nonMaster(c).forEach((n) => (n.master_candidate = false)) },
  { rules: ['I-22'], what: 'exclusive_storage in node ndparams', breakIt: (c) => (nodesOf(c)[1].ndparams = { exclusive_storage: false }) },
  { rules: ['I-23'], what: 'two groups with one name', breakIt: (c) => (Object.values(c.nodegroups)[1].name = 'default') },
  { rules: ['I-23'], what: 'a group name that looks like a UUID', breakIt: (c) => (Object.values(c.nodegroups)[1].name = 'ABCDEF01-2345-4678-9abc-def012345678') },
  { rules: ['I-24'], what: 'two node names differing in case', breakIt: (c) => (nodesOf(c)[1].name = nodesOf(c)[0].name.toUpperCase()) },
  { rules: ['I-24'], what: 'two instances with one name', breakIt: (c) => (instancesOf(c)[1].name = instancesOf(c)[0].name) },
  {
    rules: ['I-24'], what: 'two networks with one name',
    breakIt: (c) => {
      const net = structuredClone(Object.values(c.networks)[0]);
      net.uuid = '00000000-0000-4000-8000-00000000000a';
      net.reservations = '0'.repeat((net.reservations as string).length);
      c.networks[net.uuid] = net;
    },
  },
  { rules: ['I-25'], what: 'whitespace in a node name', breakIt: (c) => (nodesOf(c)[1].name = 'node 2.example.com') },
  { rules: ['I-25'], what: 'a newline in a group name', breakIt: (c) => (Object.values(c.nodegroups)[1].name = 'rack\n2') },
  { rules: ['I-26'], what: 'a secondary IP equal to another node primary IP', breakIt: (c) => (nodesOf(c)[1].secondary_ip = nodesOf(c)[0].primary_ip) },
  { rules: ['I-26'], what: 'a node primary IP equal to the master IP', breakIt: (c) => (nodesOf(c)[2].primary_ip = c.cluster.master_ip) },
  {
    rules: ['I-26'], what: 'two IPv6 addresses written differently',
    breakIt: (c) => {
      nodesOf(c)[1].primary_ip = '2001:db8::1';
      nodesOf(c)[2].secondary_ip = '2001:DB8:0:0::1';
    },
  },
  { rules: ['I-27'], what: 'two NICs with one IP on one network', breakIt: (c) => (networkNics(c)[1].ip = networkNics(c)[0].ip) },
  { rules: ['I-27'], what: 'an invalid NIC mode', breakIt: (c) => (instancesOf(c)[1].nics[0].nicparams = { mode: 'tunnel' }) },
  { rules: ['I-27'], what: 'a bridged NIC without link', breakIt: (c) => (instancesOf(c)[1].nics[0].nicparams = { mode: 'bridged', link: '' }) },
  { rules: ['I-28'], what: 'a NIC with a node uuid', breakIt: (c) => (instancesOf(c)[0].nics[0].uuid = nodesOf(c)[0].uuid) },
  { rules: ['I-28'], what: 'a DRBD child with its parent uuid', breakIt: (c) => ((d) => ((d.children as JsonObject[])[0].uuid = d.uuid))(disksOf(c, 'drbd')[0]) },
  { rules: ['I-29'], what: 'a reservation string of the wrong length', breakIt: (c) => ((n) => (n.reservations = (n.reservations as string).slice(1)))(Object.values(c.networks)[0]) },
  {
    rules: ['I-29'], what: 'a NIC IP whose reservation bit is clear',
    breakIt: (c) => {
      const net = Object.values(c.networks)[0];
      net.reservations = '0'.repeat((net.reservations as string).length);
    },
  },
  { rules: ['I-29'], what: 'a NIC IP outside its network', breakIt: (c) => (networkNics(c)[0].ip = '192.0.2.1') },
  {
    rules: ['I-30'], what: 'two sharedfile disks with one path',
    breakIt: (c) => {
      for (const d of disksOf(c, 'plain').slice(0, 2)) {
        d.dev_type = 'sharedfile';
        d.logical_id = ['loop', '/srv/ganeti/shared-file-storage/same.img'];
      }
    },
  },
  {
    rules: ['U11'], what: 'two plain disks with one LV on one node',
    breakIt: (c) => {
      const [a, b] = disksOf(c, 'plain');
      b.logical_id = [...a.logical_id];
      b.nodes = [...(a.nodes as string[])];
    },
  },
  { rules: ['I-31'], what: 'a forthcoming instance', breakIt: (c) => (instancesOf(c)[0].forthcoming = true) },
  { rules: ['I-31'], what: 'a forthcoming disk', breakIt: (c) => (disksOf(c, 'plain')[0].forthcoming = true) },
];

describe('verifyConfig: one broken invariant at a time', () => {
  it('allowUnknownFields accepts persisted-forbidden keys; allowForthcoming accepts pending objects', () => {
    const c = sampleCluster();
    instancesOf(c)[0].disk_template = 'plain';
    instancesOf(c)[1].forthcoming = true;
    assert.deepStrictEqual(verifyRules(c), ['I-31', 'I-5']);
    assert.deepStrictEqual(verifyConfig(c, { allowUnknownFields: true, allowForthcoming: true }), []);
  });

  it('puts the source into every finding and names the objects with name and uuid', () => {
    const c = sampleCluster();
    const [a, b] = instancesOf(c);
    b.nics[0].mac = a.nics[0].mac;
    const [f] = verifyConfig(c, { source: 'target.data' });
    assert.strictEqual(f.source, 'target.data');
    assert.strictEqual(f.message, `I-19: MAC ${a.nics[0].mac} used by instance ${a.name} (${a.uuid}) NIC 0 and instance ${b.name} (${b.uuid}) NIC 0`);
    assert.deepStrictEqual(f.objects, [`instance ${a.name} (${a.uuid}) NIC 0`, `instance ${b.name} (${b.uuid}) NIC 0`]);
  });

  it('the sample cluster is clean before it is broken', () => {
    assert.deepStrictEqual(verifyConfig(sampleCluster()), []);
  });

  for (const { rules, what, breakIt, opts } of CASES) {
    it(`${rules.join('+')}: ${what}`, () => {
      const c = sampleCluster();
      breakIt(c);
      const findings = verifyConfig(c, opts);
      assert.ok(findings.length > 0, 'expected findings');
      for (const f of findings) {
        assert.strictEqual(f.code, 'E_INPUT_INVALID');
        assert.strictEqual(f.severity, 'error');
      }
      assert.deepStrictEqual(verifyRules(c, opts), [...rules].sort(), findings.map((f) => f.message).join('\n'));
    });
  }
});
