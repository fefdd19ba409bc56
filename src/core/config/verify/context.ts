/**
 * Shared state of one verifyConfig run: the config, options, collected findings and small
 * type-tolerant accessors. Inputs are checked before anything trusts their field types, so
 * every check reads fields through these helpers instead of the typed interfaces.
 */
import type { Finding, GanetiConfig, Json, JsonObject } from '../types';
import { oneLine } from '../../safe-text';

export interface VerifyOptions {
  /** Accept persisted-forbidden keys (I-5) because the operator allowed unknown fields. */
  allowUnknownFields?: boolean;
  /** When given, I-2 also requires `version` to equal it (all inputs of a merge share one). */
  inputVersion?: number;
  /** Skip I-31 (forthcoming objects), e.g. for a target whose own pending jobs are its business. */
  allowForthcoming?: boolean;
  /** Put into every finding's `source` (file or cluster name). */
  source?: string;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

export function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function list(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

export function obj(v: Json | undefined): JsonObject {
  return isObject(v) ? v : {};
}

/** The object values of one uuid-keyed map and their keys, as two parallel lists. */
export interface EntryList {
  keys: string[];
  values: JsonObject[];
}

/** Object values of one of the uuid-keyed maps with their keys (parse guarantees objects). */
export function entries(map: Json | undefined): EntryList {
  const out: EntryList = { keys: [], values: [] };
  if (!isObject(map)) return out;
  // Two flat lists instead of a [key, value] pair per object: no allocation per entry.
  for (const key in map) {
    const value = map[key];
    if (isObject(value)) {
      out.keys.push(key);
      out.values.push(value);
    }
  }
  return out;
}

export type MapName = 'nodes' | 'nodegroups' | 'instances' | 'networks' | 'disks' | 'filters';

export class VerifyContext {
  readonly findings: Finding[] = [];
  readonly cluster: JsonObject;
  /** Entry lists of the top-level maps, built once per run (checks never mutate the config). */
  private readonly entryCache = new Map<MapName, EntryList>();

  constructor(
    readonly config: GanetiConfig,
    readonly opts: VerifyOptions,
  ) {
    this.cluster = obj(config.cluster as Json);
  }

  entries(map: MapName): EntryList {
    let list = this.entryCache.get(map);
    if (list === undefined) {
      list = entries((this.config as JsonObject)[map]);
      this.entryCache.set(map, list);
    }
    return list;
  }

  /**
   * Records an invariant violation; `rule` is the spec id, e.g. "I-19" or "5.3". The message names
   * objects as the input spells them, so its control characters are escaped here, once for every
   * front end (the editor's problems and tree show messages as they are).
   */
  fail(rule: string, message: string, objects: string[] = []): void {
    const finding: Finding = { code: 'E_INPUT_INVALID', severity: 'error', message: oneLine(`${rule}: ${message}`), objects };
    if (this.opts.source !== undefined) finding.source = this.opts.source;
    this.findings.push(finding);
  }
}

/** "instance web1.example.com (uuid)"; disks are named by iv_name/name when they have one. */
/** Calls visit for every NIC object of every instance (index = the NIC's position in the instance). */
export function forEachNic(
  ctx: VerifyContext,
  visit: (nic: JsonObject, index: number, inst: JsonObject, instUuid: string) => void,
): void {
  for (let at = 0, all = ctx.entries('instances'); at < all.keys.length; at++) {
    const inst = all.values[at];
    const nics = list(inst.nics);
    for (let index = 0; index < nics.length; index++) {
      const nic = nics[index];
      if (isObject(nic)) visit(nic, index, inst, all.keys[at]);
    }
  }
}

export function describeObject(kind: string, value: JsonObject, key?: string): string {
  const uuid = str(value.uuid) ?? key ?? '?';
  const name = str(value.name) ?? (kind === 'disk' ? str(value.iv_name) : undefined);
  return name !== undefined ? `${kind} ${name} (${uuid})` : `${kind} ${uuid}`;
}

/**
 * s.toLowerCase(), but without allocating a copy for strings that are already lower-case
 * ASCII (uuids, MACs, most names: hundreds of thousands per merge).
 */
export function lowerCase(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || c >= 0x80) return s.toLowerCase();
  }
  return s;
}

/** Own-key membership (parsed JSON objects still inherit "constructor" etc. from Object). */
export function has(map: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** A description computed only when a finding needs it (keeps the clean path allocation-light). */
export type Lazy = string | (() => string);

export function resolve(text: Lazy): string {
  return typeof text === 'string' ? text : text();
}
