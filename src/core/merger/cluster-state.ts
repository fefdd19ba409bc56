/**
 * What the merge itself left on the target cluster: the config's serial number and an inventory
 * (every node, instance, node group, network and disk with its own serial number, and the cluster
 * tags), taken from the target master's config.data when a phase that may change it ends. A
 * rollback or a resume first compares the cluster now with this record: anything else that changed
 * was done by someone else, and restoring snapshots over it would destroy it.
 */
import type { GanetiConfig } from '../config/types';

export interface ObjectState {
  readonly name: string;
  readonly serial: number;
}

export interface ClusterState {
  /** config.data's top-level serial_no. */
  readonly serial: number;
  readonly clusterSerial: number;
  readonly tags: readonly string[];
  /** By kind ("node", "instance", ...), then by uuid. */
  readonly objects: Readonly<Record<string, Readonly<Record<string, ObjectState>>>>;
}

/** The record in the journal: the state and when/after what it was taken. */
export interface RecordedClusterState {
  readonly state: ClusterState;
  readonly at: number;
  /** The phase (or "rollback") after which it was recorded. */
  readonly after: string;
}

const KINDS = { node: 'nodes', instance: 'instances', 'node group': 'nodegroups', network: 'networks', disk: 'disks' } as const;

const num = (v: unknown) => (typeof v === 'number' ? v : -1);

export function clusterStateOf(config: GanetiConfig): ClusterState {
  const objects: Record<string, Record<string, ObjectState>> = {};
  for (const [kind, key] of Object.entries(KINDS)) {
    const all = (config[key] ?? {}) as Record<string, { name?: unknown; serial_no?: unknown }>;
    const out: Record<string, ObjectState> = {};
    for (const [uuid, o] of Object.entries(all)) out[uuid] = { name: typeof o?.name === 'string' ? o.name : uuid, serial: num(o?.serial_no) };
    objects[kind] = out;
  }
  const tags = Array.isArray(config.cluster?.tags) ? (config.cluster.tags as unknown[]).map(String).sort() : [];
  return { serial: num(config.serial_no), clusterSerial: num(config.cluster?.serial_no), tags, objects };
}

/**
 * One difference. `name` is set for an object added or removed: a merge interrupted mid-phase may
 * have done that itself, but only to objects it knows (the clusters' preflight inventory).
 */
export interface ClusterChange {
  readonly text: string;
  readonly name?: string;
  /** Could be the merge's own work when a phase was interrupted (serials, renames, known objects; any group, network or disk). */
  readonly mergeMayDo: boolean;
}

/** Every difference between what the merge left (`was`) and the cluster now; empty if none. */
export function clusterChangeList(was: ClusterState, now: ClusterState): ClusterChange[] {
  const changes: ClusterChange[] = [];
  for (const kind of Object.keys(KINDS)) {
    const a = was.objects[kind] ?? {};
    const b = now.objects[kind] ?? {};
    // Only node and instance names are in preflight's inventory; disks (mostly unnamed), groups
    // (renamed by --groups rename) and networks come and go with the merge's own config.
    const known = (o: ObjectState) => (kind === 'node' || kind === 'instance' ? o.name : undefined);
    for (const [uuid, o] of Object.entries(b)) {
      const old = a[uuid];
      if (!old) changes.push({ text: `${kind} ${JSON.stringify(o.name)} added`, name: known(o), mergeMayDo: true });
      else if (old.name !== o.name) changes.push({ text: `${kind} ${JSON.stringify(old.name)} renamed to ${JSON.stringify(o.name)}`, mergeMayDo: true });
      else if (old.serial !== o.serial) changes.push({ text: `${kind} ${JSON.stringify(o.name)} modified (serial ${old.serial} -> ${o.serial})`, mergeMayDo: true });
    }
    for (const [uuid, o] of Object.entries(a)) if (!b[uuid]) changes.push({ text: `${kind} ${JSON.stringify(o.name)} removed`, name: known(o), mergeMayDo: true });
  }
  const added = now.tags.filter((t) => !was.tags.includes(t));
  const removed = was.tags.filter((t) => !now.tags.includes(t));
  if (added.length) changes.push({ text: `cluster tags added: ${added.map((t) => JSON.stringify(t)).join(', ')}`, mergeMayDo: false });
  if (removed.length) changes.push({ text: `cluster tags removed: ${removed.map((t) => JSON.stringify(t)).join(', ')}`, mergeMayDo: false });
  if (was.clusterSerial !== now.clusterSerial && !added.length && !removed.length) {
    changes.push({ text: `cluster settings modified (serial ${was.clusterSerial} -> ${now.clusterSerial})`, mergeMayDo: true });
  }
  // The config serial moves with every write; alone it still means someone wrote the config.
  if (was.serial !== now.serial) changes.push({ text: `config serial_no ${was.serial} -> ${now.serial}`, mergeMayDo: true });
  return changes;
}

/**
 * The changes someone else made. After a clean phase end every change counts; when a phase was
 * interrupted (a crash: the merge's own writes after the record are unknown), only what the merge
 * never does: objects added or removed that no cluster had at preflight, and tag changes.
 */
export function foreignChanges(was: ClusterState, now: ClusterState, interrupted?: { knownNames: ReadonlySet<string> }): string[] {
  return clusterChangeList(was, now)
    .filter((c) => !interrupted || !c.mergeMayDo || (c.name !== undefined && !interrupted.knownNames.has(c.name)))
    .map((c) => c.text);
}
