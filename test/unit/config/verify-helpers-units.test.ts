/** Reusable helpers (IP math, NIC keys, unknown fields) and verify's robustness on garbage. */
import * as assert from 'assert';
import type { GanetiConfig, JsonObject } from '../../../src/core/config/types';
import { ipv4AddressCount, ipv4IndexInNetwork, normalizeIp, normalizeIpv6, parseIpv4, parseIpv4Cidr } from '../../../src/core/config/model/ipaddr';
import { nicIpKey } from '../../../src/core/config/model/nic-key';
import { unknownFieldFindings } from '../../../src/core/config/model/fields';
import { verifyConfig } from '../../../src/core/config/verify';
import { lowerCase } from '../../../src/core/config/verify/context';
import { drbdLevels, walkDisk } from '../../../src/core/config/model/disk-walk';
import { sampleCluster, instancesOf, disksOf } from './verify-helpers';
import { generateCluster } from './generator';

describe('config/ipaddr', () => {
  it('counts addresses and indexes IPs of IPv4 networks', () => {
    assert.strictEqual(ipv4AddressCount('203.0.113.0/24'), 256);
    assert.strictEqual(ipv4AddressCount('10.0.0.0/16'), 65536);
    assert.strictEqual(ipv4AddressCount('10.0.0.1/24'), undefined, 'host bits set');
    assert.strictEqual(ipv4AddressCount('10.0.0.0/33'), undefined);
    assert.strictEqual(ipv4IndexInNetwork('203.0.113.0/24', '203.0.113.255'), 255);
    assert.strictEqual(ipv4IndexInNetwork('203.0.113.0/24', '203.0.114.0'), undefined);
    assert.strictEqual(ipv4IndexInNetwork('10.1.128.0/17', '10.1.130.5'), 517);
    assert.deepStrictEqual(parseIpv4Cidr('0.0.0.0/0'), { base: 0, prefix: 0, size: 2 ** 32 });
  });

  it('lowerCase equals toLowerCase, also for non-ASCII text', () => {
    for (const s of ['', 'abc-123', 'AA:BB:cc', 'Node1.Example.COM', 'ÄÖÜ', 'straße', 'İstanbul', '\u0130', 'ΣΑΣ', 'aé']) {
      assert.strictEqual(lowerCase(s), s.toLowerCase(), s);
    }
    const lower = 'already-lower-0123';
    assert.strictEqual(lowerCase(lower), lower);
  });

  it('parses dotted-quad IPv4 strictly', () => {
    assert.strictEqual(parseIpv4('0.0.0.0'), 0);
    assert.strictEqual(parseIpv4('255.255.255.255'), 2 ** 32 - 1);
    assert.strictEqual(parseIpv4('10.1.2.3'), ((10 * 256 + 1) * 256 + 2) * 256 + 3);
    assert.strictEqual(parseIpv4('010.001.002.003'), parseIpv4('10.1.2.3'), 'up to three digits per octet');
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '1..2.3', '.1.2.3', '1.2.3.', '256.1.1.1', '1.2.3.0256', '1.2.3.a', ' 1.2.3.4', '1.2.3.4/24', '١.2.3.4']) {
      assert.strictEqual(parseIpv4(bad), undefined, bad);
    }
  });

  it('normalises IPv6 text to RFC 5952 form', () => {
    assert.strictEqual(normalizeIpv6('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
    assert.strictEqual(normalizeIpv6('2001:db8:0:1:0:0:0:1'), '2001:db8:0:1::1');
    assert.strictEqual(normalizeIpv6('::'), '::');
    assert.strictEqual(normalizeIpv6('::ffff:192.0.2.1'), '::ffff:c000:201');
    assert.strictEqual(normalizeIpv6('1:2:3:4:5:6:7:8'), '1:2:3:4:5:6:7:8');
    assert.strictEqual(normalizeIpv6('1::2::3'), undefined);
    assert.strictEqual(normalizeIp('192.0.2.1'), '192.0.2.1');
  });
});

describe('config/nic-key', () => {
  it('fills mode and link from the cluster default and names the network or None', () => {
    const defaults = { mode: 'bridged', link: 'br0' };
    assert.strictEqual(nicIpKey({ ip: '192.0.2.5' }, defaults), 'bridged:br0/192.0.2.5/None');
    assert.strictEqual(nicIpKey({ ip: '192.0.2.5', network: 'n1', nicparams: { mode: 'routed' } }, defaults), 'routed:br0/192.0.2.5/n1');
    assert.strictEqual(nicIpKey({ mac: 'x' }, defaults), undefined);
  });
});

describe('config/disk-walk', () => {
  it('visits a disk and then its children depth-first with their paths', () => {
    const disk: JsonObject = { dev_type: 'drbd', children: [{ dev_type: 'drbd', children: [{ dev_type: 'plain' }] }, { dev_type: 'plain' }] };
    const seen: string[] = [];
    walkDisk(disk, (d, p) => seen.push(`${String(d.dev_type)}@${p.join('.')}`));
    assert.deepStrictEqual(seen, ['drbd@', 'drbd@0', 'plain@0.0', 'plain@1']);
    assert.strictEqual(drbdLevels(disk).length, 2);
  });
});

describe('config/fields: unknownFieldFindings', () => {
  it('groups unknown and never-persisted keys by object type with JSON paths; free-form maps are exempt', () => {
    const c = sampleCluster();
    const [a, b] = instancesOf(c);
    a.extra = 1;
    b.extra = 2;
    a.nics[0].netinfo = {};
    (disksOf(c, 'drbd')[0].children as JsonObject[])[0].hvinfo = {};
    (c as JsonObject).top_extra = true;
    a.hvparams = { anything_goes: 1 };
    (c.cluster.ndparams as JsonObject).custom = 1;
    const findings = unknownFieldFindings(c, { source: 'in.json' });
    assert.deepStrictEqual(findings.map((f) => [f.code, f.objects?.length]), [['W_UNKNOWN_FIELD', 1], ['W_UNKNOWN_FIELD', 2], ['W_UNKNOWN_FIELD', 1], ['W_UNKNOWN_FIELD', 1]]);
    assert.deepStrictEqual(findings[1].objects, [`instances.${a.uuid}.extra`, `instances.${b.uuid}.extra`]);
    assert.match(findings[2].message, /never persists/);
    assert.ok(findings.every((f) => f.source === 'in.json' && f.severity === 'warning'));
    const strict = unknownFieldFindings(c, { strict: true });
    assert.ok(strict.every((f) => f.code === 'E_UNKNOWN_FIELD' && f.severity === 'error'));
    assert.ok(unknownFieldFindings(c, { strict: true, allowUnknownFields: true }).every((f) => f.code === 'W_UNKNOWN_FIELD'));
  });
});

describe('verifyConfig on garbage field types', () => {
  it('reports instead of throwing when typed fields have the wrong JSON type', () => {
    const c = sampleCluster() as JsonObject as GanetiConfig;
    const [i0, i1, i2] = instancesOf(c);
    (i0 as JsonObject).nics = 'not a list';
    (i1 as JsonObject).disks = [1, null];
    (i2.nics[0] as JsonObject).nicparams = 5;
    const d = disksOf(c, 'drbd')[0] as JsonObject;
    d.logical_id = null;
    d.children = [null, 'x'];
    (Object.values(c.nodes)[1] as JsonObject).name = 42;
    (c.cluster as JsonObject).enabled_hypervisors = 'xen-pvm';
    (c.cluster as JsonObject).tcpudp_port_pool = { a: 1 };
    (Object.values(c.networks)[0] as JsonObject).reservations = 7;
    let findings: ReturnType<typeof verifyConfig> = [];
    assert.doesNotThrow(() => (findings = verifyConfig(c)));
    assert.ok(findings.length >= 5);
    assert.ok(findings.every((f) => f.code === 'E_INPUT_INVALID'));
  });
});

describe('verifyConfig on a big cluster', () => {
  it('checks 10,000 instances (with DRBD, network and console ports) within seconds', function () {
    this.timeout(60000);
    const c = generateCluster({ name: 'huge', nodes: 1000, instancesPerNode: 10, withNetwork: true, drbdFraction: 0.3, networkPortFraction: 0.05 });
    const started = Date.now();
    const findings = verifyConfig(c);
    const ms = Date.now() - started;
    assert.deepStrictEqual(findings, []);
    assert.ok(ms < 5000, `took ${ms} ms`);
  });
});
