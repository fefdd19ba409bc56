/**
 * verifyConfig's one-pass clean path (verify-one-pass.ts) must never hide a finding: on clean
 * configs and on thousands of randomly damaged ones, verifyConfig returns exactly the findings
 * of every check run in full (same codes, texts and order).
 */
import * as assert from 'assert';
import type { GanetiConfig, Json, JsonObject } from '../../../src/core/config/types';
import { verifyConfig, verifyConfigFully, type VerifyOptions } from '../../../src/core/config/verify';
import { VerifyContext } from '../../../src/core/config/verify/context';
import { perObjectChecksClean } from '../../../src/core/config/verify/one-pass';
import { SeededRandom } from '../../../src/core/config/merge/seeded-random';
import { sampleCluster } from './verify-helpers';

type Container = JsonObject | Json[];

/** Every object and array of the tree (the places a mutation can hit). */
function containers(value: Json, out: Container[] = []): Container[] {
  if (typeof value !== 'object' || value === null) return out;
  out.push(value);
  for (const v of Array.isArray(value) ? value : Object.values(value)) containers(v, out);
  return out;
}

/** Every scalar of the tree: reusing them creates the repeats the uniqueness rules look for. */
function scalars(value: Json, out: Json[] = []): Json[] {
  if (typeof value !== 'object' || value === null) out.push(value);
  else for (const v of Array.isArray(value) ? value : Object.values(value)) scalars(v, out);
  return out;
}

const SPECIAL: (Json | undefined)[] = [undefined, null, '', 'with space', 'UPPER', 0, -1, 1.5, 99999, true, false, [], {}, ['x'], 'drbd', 'plain', 'rw', 'bridged', 'routed'];

/** The value some other object of the tree has under the same key (a name, MAC, uuid, port, …). */
function sameKeyElsewhere(all: Container[], target: Container, key: string, pick: <T>(xs: T[]) => T): Json | undefined {
  // Arrays: the same position of another array of the same length (DRBD minors, ports, nodes).
  const others = all.filter((o) => o !== target && (Array.isArray(target)
    ? Array.isArray(o) && o.length === target.length
    : !Array.isArray(o) && Object.prototype.hasOwnProperty.call(o, key)));
  return others.length === 0 ? undefined : (pick(others) as JsonObject)[key];
}

/**
 * One random change: delete, or overwrite a key/element with a special value, another scalar of
 * the config, or the value another object has under the same key (repeats for the uniqueness rules).
 */
function damage(c: GanetiConfig, random: SeededRandom): string {
  const pick = <T>(xs: T[]): T => xs[random.nextUint32() % xs.length];
  const all = containers(c as Json).slice(1);
  const target = pick(all);
  const keys = Array.isArray(target) ? target.map((_, i) => String(i)) : Object.keys(target);
  if (keys.length === 0) return 'nothing (empty container)';
  const key = pick(keys);
  const how = random.nextUint32() % 3;
  const value = how === 0 ? pick(SPECIAL) : how === 1 ? pick(scalars(c as Json)) : sameKeyElsewhere(all, target, key, pick);
  const upper = typeof value === 'string' && random.nextUint32() % 4 === 0 ? value.toUpperCase() : value;
  if (upper === undefined) {
    if (Array.isArray(target)) target.splice(Number(key), 1);
    else delete target[key];
  } else {
    (target as JsonObject)[key] = structuredClone(upper);
  }
  return `${key} := ${JSON.stringify(upper)}`;
}

const OPTION_SETS: VerifyOptions[] = [{}, { allowUnknownFields: true, allowForthcoming: true }];

describe('config/verify-one-pass: the clean path never hides a finding', () => {
  it('the sample cluster is clean in one pass', () => {
    for (const opts of OPTION_SETS) assert.strictEqual(perObjectChecksClean(new VerifyContext(sampleCluster(), opts)), true);
  });

  it('verifyConfig equals the full checks on 2000 randomly damaged configs', function () {
    // ~7 s of CPU; on a shared 2-core machine the wall time can pass mocha's 20 s default.
    this.timeout(120000);
    const random = new SeededRandom(20261125);
    let caught = 0;
    for (let round = 0; round < 2000; round++) {
      const c = sampleCluster();
      const changes = [damage(c, random)];
      if (round % 3 === 0) changes.push(damage(c, random));
      for (const opts of OPTION_SETS) {
        const full = verifyConfigFully(c, opts);
        assert.deepStrictEqual(verifyConfig(c, opts), full, `round ${round}: ${changes.join(', ')}`);
        if (full.length > 0 && !perObjectChecksClean(new VerifyContext(c, opts))) caught++;
      }
    }
    // The damage must actually break things, or the comparison proves nothing.
    assert.ok(caught > 1300, `only ${caught} damaged configs had findings`);
  });
});
