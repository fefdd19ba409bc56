import * as assert from 'assert';
import type { GanetiConfig, JsonObject } from '../../../src/core/config/types';
import { canonicalPrint, SECRET_MASK, serializeGaneti } from '../../../src/core/config/print';
import { generateCluster } from './generator';

const INSTANCE_SECRET = 'hunter2-instance-private-value';
const CLUSTER_SECRET = 'cluster-private-token-8c1f';
const CHILD_SECRET = 'nested-drbd-secret-55aa';

/** A cluster with every kind of secret, including a DRBD device nested below a DRBD disk. */
function withSecrets(): { c: GanetiConfig; drbdSecrets: string[] } {
  const c = generateCluster({ name: 'print', nodes: 3, instancesPerNode: 2, drbdFraction: 0.5 });
  const inst = Object.values(c.instances)[0];
  inst.osparams_private = { password: INSTANCE_SECRET, nested: { deep: INSTANCE_SECRET } };
  c.cluster.osparams_private_cluster = { debian: { token: CLUSTER_SECRET } };
  const drbd = Object.values(c.disks).filter((d) => d.dev_type === 'drbd');
  const child = (drbd[0].children as JsonObject[])[0];
  child.dev_type = 'drbd';
  child.logical_id = [...drbd[0].logical_id.slice(0, 5), CHILD_SECRET];
  const drbdSecrets = drbd.map((d) => d.logical_id[5] as string);
  assert.ok(drbdSecrets.length >= 2);
  return { c, drbdSecrets: [...drbdSecrets, CHILD_SECRET] };
}

describe('config/print: canonicalPrint', () => {
  it('prints keys sorted at every level, independent of insertion order', () => {
    const a = { version: 3000000, b: { z: 1, a: [{ y: 2, x: 1 }] }, a: null } as unknown as GanetiConfig;
    const b = { a: null, b: { a: [{ x: 1, y: 2 }], z: 1 }, version: 3000000 } as unknown as GanetiConfig;
    const text = canonicalPrint(a, { maskSecrets: false });
    assert.strictEqual(text, canonicalPrint(b, { maskSecrets: false }));
    assert.strictEqual(text, '{\n  "a": null,\n  "b": {\n    "a": [\n      {\n        "x": 1,\n        "y": 2\n      }\n    ],\n    "z": 1\n  },\n  "version": 3000000\n}\n');
  });

  it('is valid JSON equal to the input when not masking', () => {
    const { c } = withSecrets();
    assert.deepStrictEqual(JSON.parse(canonicalPrint(c, { maskSecrets: false })), c);
  });

  it('masking leaves no secret in the output and keeps everything else', () => {
    const { c, drbdSecrets } = withSecrets();
    const before = JSON.stringify(c);
    const unmasked = canonicalPrint(c, { maskSecrets: false });
    const masked = canonicalPrint(c, { maskSecrets: true });
    for (const secret of [INSTANCE_SECRET, CLUSTER_SECRET, ...drbdSecrets]) {
      assert.ok(unmasked.includes(secret), `unmasked output should contain ${secret}`);
      assert.ok(!masked.includes(secret), `masked output leaks ${secret}`);
    }
    assert.strictEqual(JSON.stringify(c), before, 'the input must not be modified');
    const parsed = JSON.parse(masked) as GanetiConfig;
    const inst = parsed.instances[Object.keys(c.instances)[0]];
    assert.deepStrictEqual(inst.osparams_private, { password: SECRET_MASK, nested: SECRET_MASK });
    assert.deepStrictEqual(parsed.cluster.osparams_private_cluster, { debian: { token: SECRET_MASK } });
    const drbd = Object.values(parsed.disks).find((d) => d.dev_type === 'drbd')!;
    assert.strictEqual(drbd.logical_id[5], SECRET_MASK);
    assert.deepStrictEqual(drbd.logical_id.slice(0, 5), Object.values(c.disks).find((d) => d.uuid === drbd.uuid)!.logical_id.slice(0, 5));
  });
  it('objectPerLine: each value two levels down on one sorted compact line, the same JSON, secrets still masked', () => {
    const { c, drbdSecrets } = withSecrets();
    const text = canonicalPrint(c, { maskSecrets: true, objectPerLine: true });
    assert.deepStrictEqual(JSON.parse(text), JSON.parse(canonicalPrint(c, { maskSecrets: true })));
    for (const secret of [...drbdSecrets, INSTANCE_SECRET, CLUSTER_SECRET]) assert.ok(!text.includes(secret), `${secret} printed`);
    const lines = text.split('\n');
    for (const uuid of Object.keys(c.instances)) {
      const line = lines.find((l) => l.startsWith(`    ${JSON.stringify(uuid)}: {`));
      assert.ok(line, `instance ${uuid} has no line of its own`);
      // the whole instance on it, keys sorted
      const value = JSON.parse(line.slice(line.indexOf(': ') + 2).replace(/,$/, '')) as JsonObject;
      assert.deepStrictEqual(Object.keys(value), Object.keys(value).sort());
      assert.strictEqual(value.name, c.instances[uuid].name);
    }
    assert.ok(lines.length < 2 + Object.keys(c).length * 2 + Object.keys(c.instances).length + Object.keys(c.nodes).length
      + Object.keys(c.disks).length + Object.keys(c.nodegroups).length + Object.keys(c.networks ?? {}).length + Object.keys(c.cluster).length,
      `${lines.length} lines: more than one per object`);
    const small = { version: 3000000, b: { z: { y: [1, { b: 2, a: 1 }] } } } as unknown as GanetiConfig;
    assert.strictEqual(canonicalPrint(small, { maskSecrets: false, objectPerLine: true }),
      '{\n  "b": {\n    "z": {"y":[1,{"a":1,"b":2}]}\n  },\n  "version": 3000000\n}\n');
  });

  it('newKeysFirstAgainst: in each top-level map the keys the other config lacks come first, then its own, each part sorted', () => {
    const target = { version: 3000000, nodes: { d: { n: 1 }, b: { n: 2 } }, cluster: { x: 1 } } as unknown as GanetiConfig;
    const merged = {
      version: 3000000, cluster: { y: 2, x: 1, a: 0 },
      nodes: { e: { z: 1, a: 2 }, a: { n: 3 }, d: { n: 1 }, c: { n: 4 }, b: { n: 5 }, constructor: { n: 6 } },
    } as unknown as GanetiConfig;
    for (const objectPerLine of [false, true]) {
      const text = canonicalPrint(merged, { maskSecrets: false, objectPerLine, newKeysFirstAgainst: target });
      const doc = JSON.parse(text) as JsonObject;
      assert.deepStrictEqual(doc, JSON.parse(canonicalPrint(merged, { maskSecrets: false })), 'the same JSON');
      assert.deepStrictEqual(Object.keys(doc.nodes as JsonObject), ['a', 'c', 'constructor', 'e', 'b', 'd']);
      assert.deepStrictEqual(Object.keys(doc.cluster as JsonObject), ['a', 'y', 'x']);
      // below the maps' objects keys stay sorted
      assert.deepStrictEqual(Object.keys((doc.nodes as JsonObject).e as JsonObject), ['a', 'z']);
      assert.deepStrictEqual(Object.keys(doc), ['cluster', 'nodes', 'version']);
    }
    assert.deepStrictEqual(Object.keys((JSON.parse(canonicalPrint(merged, { maskSecrets: false })) as JsonObject).nodes as JsonObject),
      ['a', 'b', 'c', 'constructor', 'd', 'e'], 'without it: sorted');
  });

  it('newKeysFirstAgainst: objects only added leave every line of the other side as it was (a pure insertion for the diff)', () => {
    // New keys sorting after the target's last one: printed after it, that line would gain a comma.
    const target = { version: 3000000, cluster: { x: 1 }, nodes: { b: { n: 1 }, d: { n: 2 } }, disks: { m: { s: 1 } } } as unknown as GanetiConfig;
    const merged = {
      version: 3000000, cluster: { x: 1 },
      nodes: { b: { n: 1 }, d: { n: 2 }, e: { n: 3 }, f: { n: 4 } }, disks: { m: { s: 1 }, z: { s: 2 } },
    } as unknown as GanetiConfig;
    for (const objectPerLine of [false, true]) {
      const before = canonicalPrint(target, { maskSecrets: false, objectPerLine }).split('\n');
      const after = canonicalPrint(merged, { maskSecrets: false, objectPerLine, newKeysFirstAgainst: target }).split('\n');
      // every line of the target's text, in order, among the merged text's lines
      let at = 0;
      for (const line of after) if (at < before.length && line === before[at]) at++;
      assert.strictEqual(at, before.length, `line ${at + 1} of the target's text changed: ${JSON.stringify(before[at])} (objectPerLine ${objectPerLine})`);
    }
  });
});

describe('config/print: serializeGaneti', () => {
  it('writes one line plus a newline, keeping key order and values', () => {
    const c = generateCluster({ name: 'ser', nodes: 2 });
    const text = serializeGaneti(c);
    assert.ok(text.endsWith('}\n'));
    assert.strictEqual(text.indexOf('\n'), text.length - 1);
    const back = JSON.parse(text) as GanetiConfig;
    assert.deepStrictEqual(back, c);
    assert.deepStrictEqual(Object.keys(back), Object.keys(c));
    assert.deepStrictEqual(Object.keys(back.cluster), Object.keys(c.cluster));
  });
});
