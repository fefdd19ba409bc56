/**
 * The "preflight state" of lab clusters, captured from outside (nsenter via lab.sh exec, not ssh:
 * it works whatever the merge did to keys and known_hosts) and compared after a rollback.
 * What "equal to preflight" means (issue 4): the same whole inventory per cluster (./inventory:
 * nodes, groups, networks, instances with run states, NICs, disks, tags, as gnt-* shows them),
 * config.data equal but for serials and times, watchers not paused, master IPs up on the masters
 * only, the same Ganeti daemons per node, authorized_keys and ssh host keys as before.
 * `gnt-cluster verify` is not part of it (slow): callers run it where they need it.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { LabInfo } from '../../lab/lab';
import { nodeExec } from '../../lab/lab';
import { announcedChanges, expectedUnion, INVENTORY_SCRIPT, maskRegeneratedMacs, parseInventory, type Inventory } from './inventory';

export interface NodeState {
  /** sha256 of root's authorized_keys ("none" when missing). */
  authorizedKeys: string;
  /** sha256 of the node's public host keys. */
  hostKeys: string;
  /** Ganeti daemons running on the node (process names, sorted). */
  daemons: string[];
  /** IPv4 addresses on eth0: the master also holds its cluster IP. */
  addresses: string[];
  /** The 3.x identity files present (a rollback must move them back from .premerge). */
  identityFiles: string[];
}

export interface ClusterState {
  inventory: Inventory;
  watcher: string;
  /** config.data with serial_no/ctime/mtime removed everywhere. */
  config: unknown;
}

export interface LabState {
  clusters: Record<string, ClusterState>;
  nodes: Record<string, NodeState>;
}

/** Fields Ganeti bumps on every config write: a restored config differs from preflight only in these. */
const VOLATILE_KEYS = new Set(['serial_no', 'ctime', 'mtime']);

export function withoutVolatile(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutVolatile);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!VOLATILE_KEYS.has(k)) out[k] = withoutVolatile(v);
    return out;
  }
  return value;
}

const NODE_SCRIPT = `
echo "@authorized_keys"; if [ -f /root/.ssh/authorized_keys ]; then sha256sum < /root/.ssh/authorized_keys | cut -d' ' -f1; else echo none; fi
echo "@host_keys"; cat /etc/ssh/ssh_host_*_key.pub | sha256sum | cut -d' ' -f1
echo "@daemons"; ps -eo comm= | grep '^ganeti-' | sort -u
echo "@addresses"; ip -4 -o addr show dev eth0 | awk '{print $4}' | sort
echo "@identity"; for f in /var/lib/ganeti/ssconf_cluster_name /var/lib/ganeti/server.pem; do [ -e "$f" ] && echo "$f"; done; true
`;

const MASTER_SCRIPT = `set -e
${INVENTORY_SCRIPT}
echo "@watcher"; gnt-cluster watcher info
echo "@config"; cat /var/lib/ganeti/config.data; echo
`;

function sections(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let current = '';
  for (const line of text.split('\n')) {
    const m = /^@([a-z_]+)$/.exec(line);
    if (m) out[(current = m[1])] = [];
    else if (current && line.trim() !== '') out[current].push(line);
  }
  return out;
}

async function nodeState(node: string): Promise<NodeState> {
  const r = await nodeExec(node, NODE_SCRIPT, 60_000);
  if (r.code !== 0) throw new Error(`state of ${node}: exit ${r.code}: ${r.stderr.trim()}`);
  const s = sections(r.stdout);
  return {
    authorizedKeys: s.authorized_keys?.[0] ?? '?',
    hostKeys: s.host_keys?.[0] ?? '?',
    daemons: s.daemons ?? [],
    addresses: s.addresses ?? [],
    identityFiles: s.identity ?? [],
  };
}

/** Retries while the master's daemons are still coming up (right after a restore or a reset). */
async function clusterState(master: string, timeoutMs = 90_000): Promise<ClusterState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await nodeExec(master, MASTER_SCRIPT, 120_000);
    if (r.code === 0) {
      const s = sections(r.stdout);
      return {
        inventory: parseInventory(s),
        watcher: (s.watcher ?? []).join('\n'),
        config: withoutVolatile(JSON.parse((s.config ?? []).join('\n'))),
      };
    }
    if (Date.now() > deadline) throw new Error(`state of the cluster of ${master}: exit ${r.code}: ${r.stderr.trim().slice(-500)}`);
    await new Promise((res) => setTimeout(res, 2000));
  }
}

/** Captures the state of the named clusters (FQDNs) and of all their nodes, in parallel. */
export async function captureLabState(lab: LabInfo, clusterNames: readonly string[]): Promise<LabState> {
  const clusters = clusterNames.map((name) => {
    const c = lab.clusters.find((x) => x.name === name);
    if (!c) throw new Error(`no lab cluster ${name}`);
    return c;
  });
  const nodes = clusters.flatMap((c) => c.nodes);
  const [clusterStates, nodeStates] = await Promise.all([
    Promise.all(clusters.map((c) => clusterState(c.master))),
    Promise.all(nodes.map((n) => nodeState(n))),
  ]);
  return {
    clusters: Object.fromEntries(clusters.map((c, i) => [c.name, clusterStates[i]])),
    nodes: Object.fromEntries(nodes.map((n, i) => [n, nodeStates[i]])),
  };
}

const SECRET_PATH = /logical_id|osparams_private|secret|key|pem/i;

/** Where two values differ, as "path: before -> after" lines (at most `limit`). */
export function differences(before: unknown, after: unknown, at = '', limit = 20, out: string[] = []): string[] {
  if (out.length >= limit) return out;
  const brief = (v: unknown) => {
    const s = JSON.stringify(v);
    return s === undefined ? 'undefined' : s.length > 120 ? `${s.slice(0, 117)}...` : s;
  };
  const isObj = (v: unknown) => typeof v === 'object' && v !== null;
  if (isObj(before) && isObj(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = new Set([...Object.keys(before as object), ...Object.keys(after as object)]);
    for (const k of [...keys].sort()) {
      differences((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k], at ? `${at}.${k}` : k, limit, out);
    }
    return out;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return out;
  // Never print secrets (DRBD secrets in logical_id, private OS parameters, keys): only that they differ.
  out.push(SECRET_PATH.test(at) ? `${at}: differs (value not shown)` : `${at}: ${brief(before)} -> ${brief(after)}`);
  return out;
}

/** Throws naming every difference (config paths included) when the state is not the preflight one. */
export function assertSameState(before: LabState, after: LabState, what: string): void {
  const diff = differences(before, after);
  if (diff.length) throw new Error(`${what}: the lab differs from its preflight state:\n  ${diff.join('\n  ')}`);
}

/**
 * After a merge: the target's inventory is the union of the pre-merge inventories of `target` and
 * `mergees` with exactly the changes the plan announced in its merge summary (inventory.ts).
 */
export interface MergePlan { mergeSummary: string; restart: string }

/** The plan as the journal file on disk recorded it (read as JSON, not through the code under test). */
export function journalPlan(journal: string): MergePlan {
  const doc = JSON.parse(readFileSync(journal, 'utf8')) as { facts?: { mergeSummary?: string }; options?: { restart?: string } };
  const mergeSummary = doc.facts?.mergeSummary;
  assert.ok(mergeSummary && doc.options?.restart, `${journal} has no merge summary or restart policy`);
  return { mergeSummary, restart: doc.options.restart };
}

export function assertMergedInventory(before: LabState, merged: Inventory, target: string, mergees: readonly string[], plan: MergePlan): void {
  const announced = announcedChanges(plan.mergeSummary, plan.restart);
  const expected = expectedUnion(before.clusters[target].inventory, Object.fromEntries(mergees.map((m) => [m, before.clusters[m].inventory])), announced);
  const macs = maskRegeneratedMacs(expected, merged, announced);
  assert.equal(macs, announced.regeneratedMacs, `MACs changed by the merge vs. the ${announced.regeneratedMacs} the plan announced`);
  const diff = differences(expected, merged, '', 40);
  if (diff.length) throw new Error(`the merged inventory of ${target} is not the announced union:\n  ${diff.join('\n  ')}`);
}
