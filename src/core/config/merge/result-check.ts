/**
 * Step G check (spec 3.9, section 4): the merged config must pass every single-config
 * invariant (H1's verifyConfig) and the cross-input ones only a merger can check:
 * I-6 serials, I-11 cluster unchanged, I-14 fresh ports in range, I-32 conservation,
 * I-33 copied objects unchanged. Any failure is E_RESULT_INVALID: a merger bug.
 */
import { cloneJson, isJsonObject, jsonEqual } from '../json/values';
import type { InstancePin, PinSection } from './effective-params';
import { FIRST_DRBD_PORT, LAST_DRBD_PORT } from './ports';
import type { Findings } from './report';
import { copyRules, type InputSnapshot, type OwnedKeys, type ParamsRecord, unchanged } from './snapshot';
import type { GanetiConfig, Json, JsonObject } from '../types';
import { verifyConfig } from '../verify';

/** What the fold did, as needed to predict the output. */
export interface FoldRecord {
  /** per incoming input: network uuid -> merged uuid, group uuid -> merged uuid */
  networkMaps: Map<string, string>[];
  groupMaps: Map<string, string>[];
  /** "<instance uuid>/<nic index>" of NICs whose MAC was regenerated */
  regeneratedNics: Set<string>;
  freshPorts: number[];
  copiedFilters: number;
  /** pinDefaults: what was written into each instance (by instance uuid) */
  pins?: Map<string, InstancePin[]>;
}

/**
 * `forced`: messages of input violations that forceInput accepted; the same violation in the
 * result is pre-existing breakage, not a merger bug, and stays a warning (A.1).
 */
export function checkResult(merged: GanetiConfig, snap: InputSnapshot, fold: FoldRecord, owned: OwnedKeys,
  allowUnknownFields: boolean, f: Findings, forced: ReadonlySet<string> = new Set()): void {
  const bad = (message: string, objects?: string[]) => f.error('E_RESULT_INVALID', `merged configuration: ${message}`, 'merged', objects);
  for (const finding of verifyConfig(merged, { allowUnknownFields, inputVersion: snap.version, allowForthcoming: true, source: 'merged' })) {
    if (forced.has(finding.message)) {
      f.warn('W_INPUT_INVALID', `merged configuration: ${finding.message} (carried over from an input accepted by forceInput)`, 'merged', finding.objects);
    } else {
      bad(finding.message, finding.objects);
    }
  }
  if (!(merged.serial_no > snap.serial)) bad(`I-6: serial_no ${merged.serial_no} is not above the target's ${snap.serial}`);
  if (!(Number(merged.cluster.serial_no) > snap.clusterSerial)) bad('I-6: cluster serial_no was not increased');
  for (const key of new Set([...Object.keys(merged.cluster), ...Object.keys(snap.cluster)])) {
    if (!owned.cluster.has(key) && !jsonEqual(merged.cluster[key], snap.cluster[key])) bad(`I-11: cluster field ${key} changed`, [`cluster.${key}`]);
  }
  const outside = fold.freshPorts.filter((p) => p < FIRST_DRBD_PORT || p > LAST_DRBD_PORT);
  if (outside.length > 0) bad(`I-14: ports allocated outside ${FIRST_DRBD_PORT}-${LAST_DRBD_PORT}: ${outside.slice(0, 10).join(', ')}`);
  checkConservation(merged, snap, fold, bad);
  checkCopiesUnchanged(merged, snap, fold, owned, bad);
}

function checkConservation(merged: GanetiConfig, snap: InputSnapshot, fold: FoldRecord, bad: (m: string) => void): void {
  for (const k of ['nodes', 'instances', 'disks'] as const) {
    const n = Object.keys(merged[k]).length;
    const expected = snap.uuids.reduce((sum, u) => sum + u[k].length, 0);
    if (n !== expected) bad(`I-32: ${n} ${k} in the result, ${expected} in the inputs`);
    for (const u of snap.uuids) for (const uuid of u[k]) if (!Object.hasOwn(merged[k], uuid)) bad(`I-32: ${k} ${uuid} is missing`);
  }
  const kept = (maps: Map<string, string>[]) => maps.reduce((n, m) => n + [...m].filter(([a, b]) => a === b).length, 0);
  const target = snap.uuids[0];
  const expect = [
    ['nodegroups', target.nodegroups.length + kept(fold.groupMaps)],
    ['networks', target.networks.length + kept(fold.networkMaps)],
    ['filters', target.filters.length + fold.copiedFilters],
  ] as const;
  for (const [k, n] of expect) {
    const got = Object.keys(merged[k]).length;
    if (got !== n) bad(`I-32: ${got} ${k} in the result, expected ${n}`);
  }
}

/** I-33: copied instances, NICs and disks equal their input except the fields the merge owns. */
function checkCopiesUnchanged(merged: GanetiConfig, snap: InputSnapshot, fold: FoldRecord, owned: OwnedKeys,
  bad: (m: string, o?: string[]) => void): void {
  const networkOf = (v: unknown) => {
    if (typeof v !== 'string' || v === '') return v;
    for (const m of fold.networkMaps) { const to = m.get(v); if (to !== undefined) return to; }
    return v;
  };
  const rules = copyRules(owned);
  // Map.forEach, not for-of: no [key, value] pair per entry.
  snap.instances.forEach((orig, uuid) => {
    if (!Object.hasOwn(merged.instances, uuid)) return;
    const out = merged.instances[uuid];
    if (!unchanged(snap, orig.at, out, rules.instance)) bad(`I-33: instance ${orig.name} changed beyond the merge-owned fields`, [`instances.${uuid}`]);
    if (orig.params && !pinnedParamsMatch(orig.params, fold.pins?.get(uuid) ?? [], out)) {
      bad(`I-33: instance ${orig.name} has parameters other than its own plus the pinned defaults`, [`instances.${uuid}`]);
    }
    if (!Array.isArray(out.nics) || out.nics.length !== orig.nics.length) {
      bad(`I-33: instance ${orig.name} has a different number of NICs`, [`instances.${uuid}`]);
      return;
    }
    for (let i = 0; i < orig.nics.length; i++) {
      const nic = orig.nics[i];
      const got = out.nics[i];
      const macKept = got.mac === nic.mac || (fold.regeneratedNics.size > 0 && fold.regeneratedNics.has(`${uuid}/${i}`));
      if (!unchanged(snap, nic.at, got, rules.nic) || !macKept || got.network !== networkOf(nic.network)) {
        bad(`I-33: NIC ${i} of instance ${orig.name} changed beyond MAC/network remapping`, [`instances.${uuid}.nics[${i}]`]);
      }
    }
  });
  snap.disks.forEach((at, uuid) => {
    const out = Object.hasOwn(merged.disks, uuid) ? merged.disks[uuid] : undefined;
    if (out && !unchanged(snap, at, out, rules.disk)) bad(`I-33: disk ${uuid} changed beyond its DRBD port, serial_no and mtime`, [`disks.${uuid}`]);
  });
}

/** The input's map with the pins of one section (and NIC) added. */
function expectedParams(original: Json | undefined, pins: InstancePin[], section: PinSection, nic?: number): Json | undefined {
  const mine = pins.filter((p) => p.section === section && p.nic === nic);
  if (mine.length === 0) return original;
  const out: JsonObject = isJsonObject(original) ? cloneJson(original) : {};
  for (const p of mine) out[p.key] = p.value;
  return out;
}

/** pinDefaults: beparams/hvparams/nicparams equal the input's plus exactly the recorded pins. */
function pinnedParamsMatch(orig: ParamsRecord, pins: InstancePin[], out: JsonObject): boolean {
  if (!jsonEqual(out.beparams, expectedParams(orig.beparams, pins, 'beparams'))) return false;
  if (!jsonEqual(out.hvparams, expectedParams(orig.hvparams, pins, 'hvparams'))) return false;
  const nics = Array.isArray(out.nics) ? out.nics : [];
  return orig.nicparams.every((params, i) => isJsonObject(nics[i]) && jsonEqual((nics[i] as JsonObject).nicparams, expectedParams(params, pins, 'nicparams', i)));
}
