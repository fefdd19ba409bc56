/**
 * Step A.1–A.3 (spec 3.3, 5.1–5.4): every input on its own (shape, section-4 invariants,
 * unknown fields), equal supported versions, and self-merge / duplicate-input detection.
 * Read-only: runs on the caller's objects before anything is cloned.
 */
import { FORBIDDEN_KEYS, listUnknownFields, unknownFieldFindings } from '../model/fields';
import type { MergeOptions } from './options';
import type { Findings } from './report';
import { isJsonObject } from '../json/values';
import { forEachDiskLevel } from './walk';
import type { GanetiConfig, JsonObject } from '../types';
import { formatVersion, isSupportedVersion } from '../version';
import { ruleOf, verifyConfig } from '../verify';

export interface MergeInput {
  config: GanetiConfig;
  source: string;
}

const MAPS = ['nodes', 'nodegroups', 'instances', 'networks', 'disks', 'filters'];

/** Enough shape for the later steps to walk the input without crashing. */
function checkShape({ config, source }: MergeInput, f: Findings): boolean {
  if (!isJsonObject(config)) {
    f.error('E_MALFORMED', `${source}: the configuration is not a JSON object`, source);
    return false;
  }
  const bad = ['cluster', ...MAPS].filter((k) => !isJsonObject(config[k]));
  if (bad.length > 0) {
    f.error('E_MALFORMED', `${source}: top-level ${bad.join(', ')} missing or not an object`, source, bad);
    return false;
  }
  if (!Number.isInteger(config.version)) {
    f.error('E_MALFORMED', `${source}: version missing or not an integer`, source, ['version']);
    return false;
  }
  return true;
}

export interface CheckedInputs {
  /** inputs carrying runtime-only keys (left out of the copies unless unknown fields are allowed) */
  withForbiddenKeys: Set<GanetiConfig>;
  /** messages of the input violations forceInput downgraded (the result check forgives them) */
  forced: Set<string>;
}

/**
 * Whether --force-input may downgrade a violation of this rule: section-4 invariants from I-6 on.
 * Never I-1…I-5 (A.1) nor the 5.3 required fields, which every later step relies on.
 */
export function isForceable(rule: string | undefined): boolean {
  const m = /^I-(\d+)a?$/.exec(rule ?? '');
  return m !== null && Number(m[1]) >= 6;
}

/** A.1–A.3 for all inputs. Returns null when the merge cannot even start. */
export function checkInputs(target: MergeInput, incoming: MergeInput[], options: MergeOptions, f: Findings): CheckedInputs | null {
  const all = [target, ...incoming];
  if (!all.every((input) => checkShape(input, f))) return null;
  const checked: CheckedInputs = { withForbiddenKeys: new Set(), forced: new Set() };
  const strict = options.params === 'strict';
  for (const input of all) {
    const { config, source } = input;
    for (const finding of verifyConfig(config, { allowUnknownFields: true, allowForthcoming: true, source })) {
      if (options.forceInput && isForceable(ruleOf(finding))) {
        f.warn('W_INPUT_INVALID', `${source}: ${finding.message} (accepted by forceInput)`, source, finding.objects);
        checked.forced.add(finding.message);
      } else {
        f.error('E_INPUT_INVALID', finding.message, source, finding.objects);
      }
    }
    if (checkUnknownFields(config, source, input !== target, strict, options.allowUnknownFields, f)) checked.withForbiddenKeys.add(config);
  }
  checkVersions(target, incoming, f);
  checkSelfAndDuplicates(target, incoming, f);
  return checked;
}

/** Runtime-only keys are left out of the merged file unless unknown fields are allowed. */
function isForbidden(paths: string[]): boolean {
  const key = paths[0]?.split('.').pop() ?? '';
  return Object.values(FORBIDDEN_KEYS).some((keys: readonly string[]) => keys.includes(key));
}

function isClusterLevel(path: string): boolean {
  return !path.includes('.') || path.startsWith('cluster.');
}

/**
 * 5.4: unknown keys of copied objects warn (or fail in strict mode); incoming cluster/top-level
 * ones are lost. Returns whether the input has runtime-only keys.
 */
function checkUnknownFields(config: GanetiConfig, source: string, isIncoming: boolean, strict: boolean,
  allowUnknownFields: boolean, f: Findings): boolean {
  const unknown = listUnknownFields(config);
  const findings = unknownFieldFindings(config, { strict, allowUnknownFields, source }, unknown);
  if (findings.length === 0) return false;
  let forbidden = false;
  for (const finding of findings) {
    const paths = finding.objects ?? [];
    forbidden = forbidden || isForbidden(paths);
    if (isIncoming && paths.length > 0 && isClusterLevel(paths[0])) continue;
    if (finding.code === 'E_UNKNOWN_FIELD') f.error('E_UNKNOWN_FIELD', `${source}: ${finding.message}`, source, paths);
    else f.warn('W_UNKNOWN_FIELD', `${source}: ${finding.message}${!allowUnknownFields && isForbidden(paths) ? ' (left out of the merged file)' : ''}`, source, paths);
  }
  if (!isIncoming) return forbidden;
  for (const u of unknown) {
    if (isClusterLevel(u.path)) {
      f.warn('W_UNKNOWN_FIELD_IGNORED', `${source}: ${u.path} is not a known field and is not carried over (the incoming ${u.kind === 'cluster' ? 'cluster object' : 'top level'} is not copied)`,
        source, [u.path]);
    }
  }
  return forbidden;
}

/** A.2 / 5.1. */
function checkVersions(target: MergeInput, incoming: MergeInput[], f: Findings): void {
  const tv = target.config.version;
  const show = (v: number) => `${formatVersion(v)} (${v})`;
  for (const input of [target, ...incoming]) {
    if (!isSupportedVersion(input.config.version)) {
      f.error('E_VERSION_UNSUPPORTED', `${input.source} has config version ${show(input.config.version)}, which is not supported (2.16, 3.0, 3.1); run cfgupgrade on that cluster first`,
        input.source, ['version']);
    }
  }
  for (const input of incoming) {
    if (input.config.version !== tv) {
      f.error('E_VERSION_MISMATCH', `${input.source} has config version ${show(input.config.version)}, target has ${show(tv)}; run cfgupgrade so that all clusters run the same Ganeti version`,
        input.source, ['version']);
    }
  }
}

/** A.3 / 5.2. */
function checkSelfAndDuplicates(target: MergeInput, incoming: MergeInput[], f: Findings): void {
  const t = target.config.cluster;
  const master = isJsonObject(target.config.nodes[t.master_node]) ? target.config.nodes[t.master_node] : undefined;
  const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : '');
  const seenUuid = new Map<string, string>();
  const seenName = new Map<string, string>();
  for (const { config, source } of incoming) {
    const c = config.cluster;
    const name = String(c.cluster_name);
    const sameMaster = master !== undefined && Object.values(config.nodes).some((n) =>
      isJsonObject(n) && (n.uuid === master.uuid || lower(n.name) === lower(master.name)));
    if (c.uuid === t.uuid || lower(name) === lower(t.cluster_name) || sameMaster) {
      f.error('E_SELF_MERGE', `cannot merge cluster ${name} with itself (${source} describes the target cluster ${String(t.cluster_name)})`, source, [`cluster ${name}`]);
    }
    const dup = seenUuid.get(String(c.uuid)) ?? seenName.get(lower(name));
    if (dup !== undefined) {
      f.error('E_DUPLICATE_INPUT', `${source} describes cluster ${name}, which is already given as ${dup}`, source, [`cluster ${name}`]);
    }
    seenUuid.set(String(c.uuid), source);
    seenName.set(lower(name), source);
  }
}

/** Removes keys Ganeti never persists (I-5) from a cloned input, unless the operator allowed them. */
export function stripForbiddenKeys(config: GanetiConfig): void {
  const drop = (o: JsonObject, keys: readonly string[]) => { for (const k of keys) if (k in o) delete o[k]; };
  drop(config.cluster, FORBIDDEN_KEYS.cluster);
  for (const inst of Object.values(config.instances)) {
    drop(inst, FORBIDDEN_KEYS.instance);
    for (const nic of inst.nics) if (isJsonObject(nic)) drop(nic, FORBIDDEN_KEYS.nic);
  }
  for (const disk of Object.values(config.disks)) forEachDiskLevel(disk, (d) => drop(d, FORBIDDEN_KEYS.disk));
}
