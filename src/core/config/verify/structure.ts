/**
 * Structural invariants I-1…I-5 and the required-field checks of spec 5.3: these decide
 * whether the other checks can trust the shape of the objects at all.
 */
import { type Lazy, type VerifyContext, isInt, isObject, list, resolve, str } from './context';
import { OBJECT_MAP_KEYS, REQUIRED_TOP_LEVEL_KEYS } from '../parse';
import { formatVersion, isSupportedVersion } from '../version';
import { FORBIDDEN_KEYS } from '../model/fields';
import { type DiskTreePath, diskPathSuffix, walkDisk } from '../model/disk-walk';
import type { Json, JsonObject } from '../types';

export function checkTopLevel(ctx: VerifyContext): void {
  const c = ctx.config as JsonObject;
  const missing = REQUIRED_TOP_LEVEL_KEYS.filter((k) => !(k in c));
  if (missing.length > 0) ctx.fail('I-1', `missing top-level key(s): ${missing.join(', ')}`);
  if (!isObject(c.cluster)) ctx.fail('I-1', '"cluster" is not an object');
  for (const key of OBJECT_MAP_KEYS) {
    if (key in c && !isObject(c[key])) ctx.fail('I-1', `"${key}" is not an object keyed by uuid`);
  }
  const version = c.version;
  if (!isInt(version) || !isSupportedVersion(version)) {
    ctx.fail('I-2', `version ${JSON.stringify(version)} is not one of the supported versions`);
  } else if (ctx.opts.inputVersion !== undefined && version !== ctx.opts.inputVersion) {
    ctx.fail('I-2', `version ${formatVersion(version)} (${version}) differs from the input version ${ctx.opts.inputVersion}`);
  }
  if (typeof ctx.cluster.rsahostkeypub !== 'string') ctx.fail('I-3', 'cluster.rsahostkeypub is missing');
  if ('config_version' in ctx.cluster) ctx.fail('I-3', 'cluster.config_version must not be present');
}

/** I-4: every map key equals the uuid of its value. */
export function checkMapKeys(ctx: VerifyContext): void {
  for (const mapName of OBJECT_MAP_KEYS) {
    for (let at = 0, all = ctx.entries(mapName); at < all.keys.length; at++) {
      const key = all.keys[at];
      const value = all.values[at];
      if (value.uuid !== key) {
        ctx.fail('I-4', `${mapName}["${key}"] has uuid ${JSON.stringify(value.uuid ?? null)}; the map key must equal the uuid`, [
          `${mapName}.${key}`,
        ]);
      }
    }
  }
}

function checkForbidden(ctx: VerifyContext, kind: keyof typeof FORBIDDEN_KEYS, value: JsonObject, where: Lazy): void {
  for (const key of FORBIDDEN_KEYS[kind]) {
    if (key in value) ctx.fail('I-5', `${resolve(where)} carries "${key}", a field Ganeti never persists (its reader rejects it)`, [resolve(where)]);
  }
}

/** I-5: empty group `members`, no persisted-forbidden keys. */
export function checkPersistedShape(ctx: VerifyContext): void {
  for (let at = 0, all = ctx.entries('nodegroups'); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const group = all.values[at];
    if ('members' in group && !(Array.isArray(group.members) && group.members.length === 0)) {
      ctx.fail('I-5', `nodegroup ${str(group.name) ?? uuid} (${uuid}) has a non-empty "members"; Ganeti stores membership only in node.group`, [
        `nodegroups.${uuid}.members`,
      ]);
    }
  }
  if (ctx.opts.allowUnknownFields) return;
  checkForbidden(ctx, 'cluster', ctx.cluster, 'cluster');
  for (let at = 0, all = ctx.entries('instances'); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const inst = all.values[at];
    if (hasAnyKey(inst, FORBIDDEN_KEYS.instance)) checkForbidden(ctx, 'instance', inst, `instances.${uuid}`);
    const nics = list(inst.nics);
    for (let i = 0; i < nics.length; i++) {
      const nic = nics[i];
      if (isObject(nic) && hasAnyKey(nic, FORBIDDEN_KEYS.nic)) checkForbidden(ctx, 'nic', nic, `instances.${uuid}.nics[${i}]`);
    }
  }
  // One visitor for all disks (the current uuid in a variable): no closure per disk.
  let diskUuid = '';
  const visit = (d: JsonObject, path: DiskTreePath): void => {
    if (hasAnyKey(d, FORBIDDEN_KEYS.disk)) checkForbidden(ctx, 'disk', d, `disks.${diskUuid}${diskPathSuffix(path)}`);
  };
  for (let at = 0, all = ctx.entries('disks'); at < all.keys.length; at++) {
    diskUuid = all.keys[at];
    forEachLevel(all.values[at], visit);
  }
}

function hasAnyKey(value: JsonObject, keys: readonly string[]): boolean {
  for (let i = 0; i < keys.length; i++) if (keys[i] in value) return true;
  return false;
}

/** walkDisk, but a disk without children (most of them) is visited without a tree walk. */
function forEachLevel(disk: JsonObject, visit: (d: JsonObject, path: DiskTreePath) => void): void {
  if (Array.isArray(disk.children)) walkDisk(disk, visit);
  else visit(disk, NO_PATH);
}

const NO_PATH: DiskTreePath = [];

type FieldCheck = [field: string, test: (v: Json | undefined) => boolean, expected: string];

const isStr = (v: Json | undefined): boolean => typeof v === 'string' && v !== '';
const isStrList = (v: Json | undefined): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');

const REQUIRED: { [kind: string]: FieldCheck[] } = {
  node: [
    ['name', isStr, 'a non-empty string'],
    ['primary_ip', isStr, 'a non-empty string'],
    // Ganeti always writes it (equal to primary_ip on single-homed nodes); the merge compares it as text.
    ['secondary_ip', (v) => v === undefined || isStr(v), 'a non-empty string'],
    ['group', isStr, 'a group uuid'],
  ],
  instance: [
    ['name', isStr, 'a non-empty string'],
    ['primary_node', isStr, 'a node uuid'],
    ['disks', isStrList, 'a list of disk uuids'],
    // Mandatory (spec 2.4; Ganeti writes [] for none): every merge step walks it.
    ['nics', (v) => Array.isArray(v) && v.every(isObject), 'a list of NIC objects'],
  ],
  disk: [
    ['dev_type', isStr, 'a non-empty string'],
    ['logical_id', (v) => Array.isArray(v), 'a list'],
    ['size', (v) => isInt(v), 'an integer'],
  ],
  network: [
    ['name', isStr, 'a non-empty string'],
    ['network', isStr, 'an IPv4 CIDR string'],
  ],
  nic: [['mac', isStr, 'a MAC address string']],
};

/** ".nics[<i>]" for the usual indexes without building a string per NIC. */
const NIC_SUFFIXES = Array.from({ length: 16 }, (_, i) => `.nics[${i}]`);

function nicSuffix(index: number): string {
  return index < NIC_SUFFIXES.length ? NIC_SUFFIXES[index] : `.nics[${index}]`;
}

/** `where` is the object's path as prefix + key + suffix, joined only for a finding. */
function checkFields(ctx: VerifyContext, kind: string, value: JsonObject, prefix: string, key: string, suffix = ''): void {
  const checks = REQUIRED[kind];
  for (let i = 0; i < checks.length; i++) {
    const check = checks[i];
    const field = check[0];
    const test = check[1];
    const expected = check[2];
    const v = value[field];
    if (!test(v)) {
      const where = `${prefix}${key}${suffix}`;
      const what = v === undefined ? 'is missing' : `is ${JSON.stringify(v)}`;
      ctx.fail('5.3', `${kind} ${where}: required field "${field}" ${what}; expected ${expected}`, [`${where}.${field}`]);
    }
  }
}

/** Spec 5.3: required scalars of nodes, instances, NICs, disks (all levels) and networks. */
export function checkRequiredFields(ctx: VerifyContext): void {
  for (let at = 0, all = ctx.entries('nodes'); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const node = all.values[at];
    checkFields(ctx, 'node', node, 'nodes.', uuid);
  }
  for (let at = 0, all = ctx.entries('instances'); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const inst = all.values[at];
    checkFields(ctx, 'instance', inst, 'instances.', uuid);
    const nics = list(inst.nics);
    for (let i = 0; i < nics.length; i++) {
      const nic = nics[i];
      if (isObject(nic)) checkFields(ctx, 'nic', nic, 'instances.', uuid, nicSuffix(i));
    }
  }
  let diskUuid = '';
  const visitDisk = (d: JsonObject, path: DiskTreePath): void => checkFields(ctx, 'disk', d, 'disks.', diskUuid, path.length === 0 ? '' : diskPathSuffix(path));
  for (let at = 0, all = ctx.entries('disks'); at < all.keys.length; at++) {
    diskUuid = all.keys[at];
    forEachLevel(all.values[at], visitDisk);
  }
  for (let at = 0, all = ctx.entries('networks'); at < all.keys.length; at++) {
    const uuid = all.keys[at];
    const net = all.values[at];
    checkFields(ctx, 'network', net, 'networks.', uuid);
  }
  if (typeof ctx.cluster.master_node !== 'string') ctx.fail('5.3', 'cluster.master_node is missing');
}
