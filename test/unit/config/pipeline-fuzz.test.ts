/**
 * Random damage anywhere in three configs (a value replaced by another type, a key dropped or
 * renamed to "constructor", "toString"..., a list item repeated), then the whole config path:
 * parse, mergeConfigs with random options, the written form read back and verified, the masked
 * print turned back by configFromEdit, guestImpact. Whatever the damage, the only exception is a
 * ConfigError (a refusal with codes), and a merge that succeeds writes a config that passes its
 * own checks. Deterministic: one seed.
 */
import * as assert from 'node:assert/strict';
import { configFromEdit } from '../../../src/core/config/edited-config';
import { mergeConfigs } from '../../../src/core/config/merge';
import { guestImpact } from '../../../src/core/config/merge/guest-impact';
import { SeededRandom } from '../../../src/core/config/merge/seeded-random';
import { parseConfig } from '../../../src/core/config/parse';
import { canonicalPrint, serializeGaneti } from '../../../src/core/config/print';
import { ConfigError, type GanetiConfig, type Json, type JsonObject } from '../../../src/core/config/types';
import { verifyConfig } from '../../../src/core/config/verify';
import { cluster, NOW } from './merge-helpers';

const VALUES: Json[] = [null, true, false, 0, -1, 1.5, 11000, 65536, 9007199254740991, '', 'x', '0', 'constructor', '\u2028\u001b[2K',
  [], {}, [1], { a: 1 }, ['x'], 'aa:00:00:00:00:01', '10.0.0.1', 'drbd', 'plain', 'kvm', 'xen-pvm'];
const KEYS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'x\u2028y', ''];
const ROUNDS = 400;

describe('config path under random damage (deterministic fuzz)', () => {
  it(`${ROUNDS} rounds: only ConfigError is thrown, and every merged config passes its own checks`, function () {
    this.timeout(120000);
    const random = new SeededRandom(5052026);
    const int = (n: number) => random.nextUint32() % n;
    const pick = <T>(list: readonly T[]): T => list[int(list.length)];
    const containers = (v: Json, out: Array<JsonObject | Json[]>) => {
      if (typeof v !== 'object' || v === null) return out;
      out.push(v);
      for (const item of Array.isArray(v) ? v : Object.values(v)) containers(item, out);
      return out;
    };
    const damage = (c: GanetiConfig) => {
      const holder = pick(containers(c as unknown as Json, []));
      if (Array.isArray(holder)) {
        if (holder.length === 0 || int(3) === 0) holder.push(structuredClone(holder[0] ?? pick(VALUES)));
        else holder[int(holder.length)] = structuredClone(pick(VALUES));
        return;
      }
      const keys = Object.keys(holder);
      if (keys.length === 0) return void (holder[pick(KEYS)] = structuredClone(pick(VALUES)));
      const key = pick(keys);
      const how = int(10);
      if (how < 6) holder[key] = structuredClone(pick(VALUES));
      else if (how < 8) delete holder[key];
      else {
        const value = holder[key];
        delete holder[key];
        holder[pick(KEYS)] = value;
      }
    };
    const base = ['alpha', 'beta', 'gamma'].map((name) => cluster(name));
    const tally = { merged: 0, refused: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const configs = base.map((c) => structuredClone(c));
      for (let n = 1 + int(5); n > 0; n--) damage(pick(configs));
      const forceInput = int(4) === 0;
      const options = {
        now: NOW, groups: pick(['merge', 'rename', 'refuse'] as const), networks: pick(['merge', 'rename', 'refuse'] as const),
        params: pick(['warn', 'strict'] as const), pinDefaults: int(2) === 0, regenerateMacs: int(2) === 0, extendDiskTemplates: int(2) === 0,
        allowInstancesUp: int(2) === 0, allowUnknownFields: int(2) === 0, forceInput, filters: pick(['drop', 'copy', 'error'] as const),
        consumeInputs: int(2) === 0,
      };
      try {
        const [target, ...rest] = configs.map((c, i) => parseConfig(JSON.stringify(c), `c${i}.json`));
        const incoming = rest.map((config, i) => ({ config, source: `c${i + 1}.json` }));
        const before = structuredClone(incoming);
        const result = mergeConfigs(target, incoming, options, 'c0.json');
        if (!result.ok) {
          assert.ok(result.report.errors.length > 0, `round ${round}: refused without an error`);
          tally.refused++;
          continue;
        }
        tally.merged++;
        const merged = result.merged as GanetiConfig;
        const written = parseConfig(serializeGaneti(merged), 'out.json');
        if (!forceInput) {
          // forceInput lets input violations through as warnings; otherwise the result is clean.
          assert.deepEqual(verifyConfig(written).filter((f) => f.severity === 'error').map((f) => f.message), [], `round ${round}`);
          assert.deepEqual(configFromEdit(canonicalPrint(merged, { maskSecrets: true }), merged), written, `round ${round}`);
        }
        guestImpact(before, merged);
      } catch (err) {
        if (!(err instanceof ConfigError)) assert.fail(`round ${round}: ${(err as Error).stack ?? String(err)}`);
        tally.refused++;
      }
    }
    // Both outcomes must be exercised, or the fuzz checks nothing.
    assert.ok(tally.merged >= ROUNDS / 10 && tally.refused >= ROUNDS / 10, JSON.stringify(tally));
  });
});
