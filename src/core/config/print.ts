/**
 * Printing configs: a canonical form for diffs and reports (sorted keys, one value per line,
 * secrets optionally masked) and Ganeti's own one-line form for writing config.data.
 */
import type { GanetiConfig, Json, JsonObject } from './types';
import { isDrbd } from './model/disk-walk';
import { BOOKKEEPING_FIELDS } from './model/fields';

export const SECRET_MASK = '<secret>';
/** What a hidden bookkeeping value (serial_no, ctime, mtime) reads as. */
export const BOOKKEEPING_MASK = '<bookkeeping>';

export interface CanonicalPrintOptions {
  /** Replace DRBD secrets and private OS parameters by "<secret>" (spec 1.1: never display them). */
  maskSecrets: boolean;
  /**
   * Replace every bookkeeping value by "<bookkeeping>", so a diff shows what changed, not every
   * serial_no and mtime the merge bumped (for reading only: such a text is no config to write).
   */
  hideBookkeeping?: boolean;
  /**
   * Each value two levels down (a node, an instance, a disk, a cluster parameter) on one line of
   * compact JSON, keys still sorted: a big config then has a line per object instead of one per
   * value, which keeps an editor's line diff of it computable (see ui/merged-config-diff.ts).
   */
  objectPerLine?: boolean;
  /**
   * The config this one was made from (a merge's target): in each top-level map (nodes,
   * instances, disks...) the keys it lacks (the new objects) come first, then its own, each part
   * sorted (a display order only). A merged config's diff against its target is then one pure
   * insertion block per map plus in-place changes, instead of thousands of insertions between the
   * target's uuids. New objects go before the existing ones, not after: appended after the last
   * one, they would give it a comma, and that one changed line joined to the block makes VS Code
   * diff the block character by character, which it cannot finish for a big config.
   */
  newKeysFirstAgainst?: GanetiConfig;
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every value of a private-parameter map replaced by the mask, keys kept (they are not secret). */
function maskValues(map: Json | undefined): Json | undefined {
  if (map === undefined) return undefined;
  if (!isObject(map)) return SECRET_MASK;
  const out: JsonObject = {};
  for (const key of Object.keys(map)) out[key] = SECRET_MASK;
  return out;
}

function maskDisk(disk: JsonObject): JsonObject {
  const out: JsonObject = { ...disk };
  if (isDrbd(disk) && Array.isArray(disk.logical_id) && disk.logical_id.length > 5) {
    const lid = [...disk.logical_id];
    lid[5] = SECRET_MASK;
    out.logical_id = lid;
  }
  if (Array.isArray(disk.children)) out.children = disk.children.map((c) => (isObject(c) ? maskDisk(c) : c));
  return out;
}

function mapValues(map: Json | undefined, fn: (v: JsonObject) => JsonObject): Json | undefined {
  if (!isObject(map)) return map;
  const out: JsonObject = {};
  for (const key of Object.keys(map)) {
    const v = map[key];
    out[key] = isObject(v) ? fn(v) : v;
  }
  return out;
}

/**
 * A shallow-copied view of the config with every secret replaced; the input is not modified.
 * Secrets: DRBD logical_id[5] at every disk level, instance osparams_private values, cluster
 * osparams_private_cluster values (per OS).
 */
export function maskConfigSecrets(c: GanetiConfig): JsonObject {
  const out: JsonObject = { ...c };
  if (isObject(c.cluster)) {
    const cluster: JsonObject = { ...c.cluster };
    if (isObject(cluster.osparams_private_cluster)) {
      cluster.osparams_private_cluster = mapValues(cluster.osparams_private_cluster, (os) => maskValues(os) as JsonObject) as Json;
    } else if (cluster.osparams_private_cluster !== undefined && cluster.osparams_private_cluster !== null) {
      cluster.osparams_private_cluster = SECRET_MASK;
    }
    out.cluster = cluster;
  }
  out.instances = mapValues(c.instances, (inst) => {
    if (!('osparams_private' in inst) || inst.osparams_private === null) return inst;
    return { ...inst, osparams_private: maskValues(inst.osparams_private) as Json };
  }) as Json;
  out.disks = mapValues(c.disks, maskDisk) as Json;
  return out;
}

/** Compact JSON with keys sorted at every level. */
function compactSorted(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(compactSorted).join(',')}]`;
  if (!isObject(value)) return JSON.stringify(value);
  return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${compactSorted(value[key])}`).join(',')}}`;
}

/** An object's keys sorted; those `against` lacks before its own when it is an object. */
function orderedKeys(value: JsonObject, against: Json | undefined): string[] {
  const keys = Object.keys(value).sort();
  if (!isObject(against)) return keys;
  return [...keys.filter((k) => !Object.hasOwn(against, k)), ...keys.filter((k) => Object.hasOwn(against, k))];
}

/**
 * `flatFrom`: the indent width (2 per level) from which a value is printed on one line
 * (objectPerLine); `against`: the newKeysFirstAgainst value at the same place (top two levels only).
 */
function printValue(value: Json, indent: string, parts: string[], flatFrom = Infinity, against?: Json): void {
  if (indent.length >= flatFrom) {
    parts.push(compactSorted(value));
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      parts.push('[]');
      return;
    }
    const inner = indent + '  ';
    parts.push('[\n');
    value.forEach((item, i) => {
      parts.push(inner);
      printValue(item, inner, parts, flatFrom);
      parts.push(i < value.length - 1 ? ',\n' : '\n');
    });
    parts.push(indent, ']');
    return;
  }
  if (isObject(value)) {
    const keys = orderedKeys(value, against);
    if (keys.length === 0) {
      parts.push('{}');
      return;
    }
    const inner = indent + '  ';
    parts.push('{\n');
    keys.forEach((key, i) => {
      parts.push(inner, JSON.stringify(key), ': ');
      const againstBelow = indent === '' && isObject(against) ? against[key] : undefined;
      printValue(value[key], inner, parts, flatFrom, againstBelow);
      parts.push(i < keys.length - 1 ? ',\n' : '\n');
    });
    parts.push(indent, '}');
    return;
  }
  parts.push(JSON.stringify(value));
}

const BOOKKEEPING = new Set(BOOKKEEPING_FIELDS);

/** A copy with every bookkeeping value, at any depth, replaced by the mask. */
function withoutBookkeeping(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutBookkeeping);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) out[key] = BOOKKEEPING.has(key) ? BOOKKEEPING_MASK : withoutBookkeeping(value[key]);
  return out;
}

/**
 * Stable, diff-friendly text: 2-space indented JSON with keys sorted at every level (or
 * objectPerLine; newKeysFirstAgainst puts a top-level map's new keys first).
 */
export function canonicalPrint(c: GanetiConfig, opts: CanonicalPrintOptions): string {
  const view: Json = opts.maskSecrets ? maskConfigSecrets(c) : c;
  const parts: string[] = [];
  printValue(opts.hideBookkeeping ? withoutBookkeeping(view) : view, '', parts, opts.objectPerLine ? 4 : Infinity, opts.newKeysFirstAgainst as Json | undefined);
  parts.push('\n');
  return parts.join('');
}

/** Ganeti's own form: one line of JSON in the objects' key order, plus a trailing newline. */
export function serializeGaneti(c: GanetiConfig): string {
  return JSON.stringify(c) + '\n';
}

/** Every leaf of a value as text (a masked private map may hold strings, numbers, nested maps). */
function leaves(v: Json | undefined, out: string[]): void {
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) v.forEach((x) => leaves(x, out));
  else if (isObject(v)) Object.values(v).forEach((x) => leaves(x, out));
  else out.push(String(v));
}

/** Walks the config and its masked view side by side: whatever the mask replaced is a secret. */
function maskedAway(orig: Json | undefined, masked: Json | undefined, out: string[]): void {
  if (masked === SECRET_MASK && orig !== SECRET_MASK) {
    leaves(orig, out);
    return;
  }
  if (Array.isArray(orig) && Array.isArray(masked)) orig.forEach((o, i) => maskedAway(o, masked[i], out));
  else if (isObject(orig) && isObject(masked)) for (const k of Object.keys(orig)) maskedAway(orig[k], masked[k], out);
}

/**
 * The secret values of a config (what maskConfigSecrets hides: DRBD secrets, private OS
 * parameters), so that text which should never hold one (a merge report) can be checked for them.
 */
export function configSecretValues(c: GanetiConfig): string[] {
  const out: string[] = [];
  maskedAway(c as unknown as Json, maskConfigSecrets(c), out);
  return [...new Set(out)];
}
