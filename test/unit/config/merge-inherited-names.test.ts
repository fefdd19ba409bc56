/**
 * Keys that share a name with a property every JavaScript object inherits ("constructor",
 * "toString", "valueOf"...) are ordinary keys in config.data (an OS, a parameter, a uuid). The
 * merge compares maps key by key; a plain `map[key]` for a key only one side has read the
 * inherited function: the merge threw a TypeError, or took an incoming-only OS for a conflict.
 */
import * as assert from 'node:assert/strict';
import { mergeConfigs } from '../../../src/core/config/merge';
import { parseConfig } from '../../../src/core/config/parse';
import { canonicalPrint, serializeGaneti } from '../../../src/core/config/print';
import { SeededRandom } from '../../../src/core/config/merge/seeded-random';
import type { GanetiConfig, Json, JsonObject } from '../../../src/core/config/types';
import { assertError, assertOk, assertWarning, cluster, firstInstance, merge, NOW } from './merge-helpers';

const INHERITED = Object.getOwnPropertyNames(Object.prototype).filter((k) => k !== '__proto__');

const obj = (v: Json | undefined): JsonObject => v as JsonObject;

describe('mergeConfigs: keys named like inherited object properties', () => {
  it('an OS only the incoming cluster knows is copied, also when named "constructor" or "toString"', () => {
    const target = cluster('alpha');
    const incoming = cluster('beta');
    incoming.cluster.os_hvp = { ...obj(incoming.cluster.os_hvp), constructor: { 'xen-pvm': { root_path: '/dev/xvda1' } } };
    incoming.cluster.osparams = { toString: { variant: 'x' } };
    incoming.cluster.osparams_private_cluster = { valueOf: { password: 'hunter2' } };
    const merged = assertOk(merge(target, [incoming], { groups: 'merge' }));
    assert.deepEqual(obj(merged.cluster.os_hvp).constructor, { 'xen-pvm': { root_path: '/dev/xvda1' } });
    assert.deepEqual(obj(merged.cluster.osparams).toString, { variant: 'x' });
    assert.deepEqual(obj(merged.cluster.osparams_private_cluster).valueOf, { password: 'hunter2' });
  });

  it('a default only one side sets is a parameter difference (target <unset>), not a TypeError', () => {
    for (const key of ['toString', 'constructor', 'hasOwnProperty']) {
      const incoming = cluster('beta');
      obj(incoming.cluster.beparams).default = { ...obj(obj(incoming.cluster.beparams).default), [key]: 1 };
      incoming.cluster.ndparams = { ...obj(incoming.cluster.ndparams), [key]: 'x' };
      const strict = merge(cluster('alpha'), [incoming], { groups: 'merge' });
      assertError(strict, 'E_PARAM_CONFLICT', `beparams.default.${key}`);
      assert.ok(strict.report.errors.some((f) => f.message === `cluster parameter beparams.default.${key}: incoming beta.example.com has 1, target has <unset>`),
        strict.report.errors.map((f) => f.message).join('\n'));
      assertError(strict, 'E_PARAM_CONFLICT', `ndparams.${key}`);
      // warn + pinDefaults: the incoming default is pinned into every incoming instance.
      const warned = merge(cluster('alpha'), [incoming], { groups: 'merge', params: 'warn', pinDefaults: true });
      const merged = assertOk(warned);
      assertWarning(warned, 'W_PARAM_DIFF', `beparams.default.${key}`);
      for (const uuid of Object.keys(incoming.instances)) assert.equal(obj(merged.instances[uuid].beparams)[key], 1, `${key} pinned into ${uuid}`);
    }
  });

  it('a node parameter only the incoming cluster sets is pinned with its value, the message shows both sides', () => {
    const incoming = cluster('beta');
    incoming.cluster.ndparams = { ...obj(incoming.cluster.ndparams), valueOf: 'x' };
    const result = merge(cluster('alpha'), [incoming], { groups: 'merge', params: 'warn' });
    const merged = assertOk(result);
    for (const uuid of Object.keys(incoming.nodes)) assert.equal(obj(merged.nodes[uuid].ndparams).valueOf, 'x');
    const all = [...result.report.errors, ...result.report.warnings].map((f) => f.message).join('\n');
    assert.doesNotMatch(all, /-> undefined|function|\[native code\]/);
  });

  it('deterministic fuzz: such keys anywhere in free-form maps never make the merge throw, and copied objects keep them exactly', () => {
    const places: Array<(c: GanetiConfig, key: string, value: Json) => void> = [
      (c, k, v) => { const i = firstInstance(c); i.beparams = { ...obj(i.beparams), [k]: v }; },
      (c, k, v) => { const i = firstInstance(c); i.hvparams = { ...obj(i.hvparams), [k]: v }; },
      (c, k, v) => { const i = firstInstance(c); i.osparams = { [k]: v }; },
      (c, k, v) => { const i = firstInstance(c); i.osparams_private = { [k]: v }; },
      (c, k, v) => { const n = firstInstance(c).nics[0]; n.nicparams = { ...obj(n.nicparams), [k]: v }; },
      (c, k, v) => { const d = c.disks[firstInstance(c).disks[0]]; d.params = { ...obj(d.params), [k]: v }; },
      (c, k, v) => { c.cluster.os_hvp = { ...obj(c.cluster.os_hvp), [k]: { 'xen-pvm': { x: v } } }; },
      (c, k, v) => { c.cluster.osparams = { ...obj(c.cluster.osparams), [k]: { x: v } }; },
      (c, k, v) => { c.cluster.diskparams = { ...obj(c.cluster.diskparams), [k]: { x: v } }; },
      (c, k, v) => { const hv = c.cluster.enabled_hypervisors[0]; obj(c.cluster.hvparams)[hv] = { ...obj(obj(c.cluster.hvparams)[hv]), [k]: v }; },
      (c, k, v) => { obj(c.cluster.beparams).default = { ...obj(obj(c.cluster.beparams).default), [k]: v }; },
      (c, k, v) => { obj(c.cluster.nicparams).default = { ...obj(obj(c.cluster.nicparams).default), [k]: v }; },
      (c, k, v) => { c.cluster.ndparams = { ...obj(c.cluster.ndparams), [k]: v }; },
    ];
    const values: Json[] = [1, 'v', null, true, { a: [1, '\u2028'] }, '\ud800', 'x\u0000y'];
    const random = new SeededRandom(20261205);
    const int = (n: number) => random.nextUint32() % n;
    const pick = <T>(list: readonly T[]): T => list[int(list.length)];
    let merges = 0;
    for (let round = 0; round < 60; round++) {
      const target = cluster('alpha');
      const incoming = cluster('beta');
      const edits = 1 + int(3);
      for (let e = 0; e < edits; e++) pick(places)(int(2) === 0 ? incoming : target, pick(INHERITED), pick(values));
      const options = { groups: 'merge', params: pick(['warn', 'strict'] as const), pinDefaults: int(2) === 0, consumeInputs: int(2) === 0 } as const;
      const [t, b] = [target, incoming].map((c, i) => parseConfig(JSON.stringify(c), `in${i}`));
      const expected = structuredClone(b);
      const result = mergeConfigs(t, [{ config: b, source: 'in1' }], { now: NOW, ...options }, 'in0');
      const shown = `round ${round}: ${[...result.report.errors].map((f) => `${f.code}: ${f.message}`).join('\n')}`;
      for (const f of result.report.errors) assert.ok(/^E_(PARAM_CONFLICT|INPUT_INVALID)$/.test(f.code), shown);
      assert.ok(!result.report.errors.some((f) => f.code === 'E_INPUT_INVALID' && /hvparams|osparams|nicparams|params/.test(f.message)), shown);
      if (!result.ok) continue;
      merges++;
      const written = JSON.parse(serializeGaneti(result.merged as GanetiConfig)) as GanetiConfig;
      const inst = firstInstance(expected);
      const pinned = new Set(result.report.pinnedInstanceParams.map((p) => p.param.split('.').slice(-1)[0]));
      for (const section of ['osparams', 'osparams_private'] as const) assert.deepEqual(written.instances[inst.uuid][section], inst[section], shown);
      for (const section of ['beparams', 'hvparams'] as const) {
        for (const [k, v] of Object.entries(obj(inst[section]))) assert.deepEqual(obj(written.instances[inst.uuid][section])[k], v, `${shown} ${section}.${k}`);
        for (const k of Object.keys(obj(written.instances[inst.uuid][section]))) assert.ok(Object.hasOwn(obj(inst[section]), k) || pinned.has(k), `${section}.${k} appeared`);
      }
      const disk = inst.disks[0];
      assert.deepEqual(written.disks[disk].params, expected.disks[disk].params);
      // The canonical (masked) print is the same JSON apart from the masks.
      const canonical = JSON.parse(canonicalPrint(result.merged as GanetiConfig, { maskSecrets: false })) as JsonObject;
      assert.deepEqual(canonical, written);
    }
    assert.ok(merges >= 10, `only ${merges} of 60 rounds merged: the fuzz would check too little`);
  });
});
