/**
 * Targeted breakages on the one verification path: verifyConfig (the one-pass gate, else the
 * full checks) reports exactly what every check in full reports, and each breakage except
 * "nothing" is reported (the random fuzz test in verify-one-pass.test.ts covers the rest).
 */
import * as assert from 'assert';
import type { GanetiConfig, JsonObject } from '../../../src/core/config/types';
import { verifyConfig, verifyConfigFully } from '../../../src/core/config/verify';
import { disksOf, instancesOf, nodesOf, sampleCluster } from './verify-helpers';

type Breakage = [what: string, breakIt: (c: GanetiConfig) => void];

const BREAKAGES: Breakage[] = [
  ['nothing', () => undefined],
  ['unknown primary node', (c) => (instancesOf(c)[0].primary_node = 'nope')],
  ['hypervisor not enabled', (c) => (instancesOf(c)[1].hypervisor = 'lxc')],
  ['missing disk', (c) => (instancesOf(c)[0].disks = ['nope'])],
  ['disk used twice', (c) => (instancesOf(c)[1].disks = [...instancesOf(c)[0].disks])],
  ['wrong iv_name', (c) => (c.disks[instancesOf(c)[0].disks[0]].iv_name = 'disk/7')],
  ['DRBD without the primary', (c) => {
    const drbd = disksOf(c, 'drbd')[0];
    const inst = instancesOf(c).find((i) => i.disks.includes(drbd.uuid));
    if (inst) inst.primary_node = nodesOf(c).find((n) => !(drbd.logical_id as string[]).includes(n.uuid))?.uuid ?? inst.primary_node;
  }],
  ['NIC on an unknown network', (c) => ((instancesOf(c)[0].nics[0] as JsonObject).network = 'nope')],
  ['bad NIC mode', (c) => ((instancesOf(c)[0].nics[0] as JsonObject).nicparams = { mode: 'weird' })],
  ['bridged NIC without link', (c) => ((instancesOf(c)[0].nics[0] as JsonObject).nicparams = { mode: 'bridged', link: '' })],
  ['NIC IP twice', (c) => {
    const [a, b] = instancesOf(c);
    Object.assign(b.nics[0], { ip: '192.0.2.77', network: a.nics[0].network ?? null, nicparams: a.nics[0].nicparams ?? {} });
    Object.assign(a.nics[0], { ip: '192.0.2.77' });
  }],
  ['DRBD port twice', (c) => {
    const [a, b] = disksOf(c, 'drbd');
    if (a && b) (b.logical_id as number[])[2] = (a.logical_id as number[])[2];
  }],
  ['port above highest_used_port', (c) => (c.cluster.highest_used_port = 10999)],
  ['no highest_used_port', (c) => delete (c.cluster as JsonObject).highest_used_port],
  ['bad port pool', (c) => ((c.cluster as JsonObject).tcpudp_port_pool = ['x'])],
  ['network_port twice', (c) => {
    const [a, b] = instancesOf(c);
    a.network_port = 11500;
    b.network_port = 11500;
  }],
];

describe('config/verify: targeted breakages, one verification path', () => {
  for (const [what, breakIt] of BREAKAGES) {
    it(`${what}`, () => {
      const c = sampleCluster();
      breakIt(c);
      const full = verifyConfigFully(c);
      assert.deepStrictEqual(verifyConfig(c), full);
      assert.strictEqual(full.length > 0, what !== 'nothing', full.map((f) => f.message).join('; ') || 'no findings');
    });
  }
});
