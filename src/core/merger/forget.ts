/**
 * Forgetting a merge: once the operator is satisfied, delete what the merge kept so it could be
 * rolled back (snapshot tars on the nodes, the 3.x identity files moved aside, the local work files
 * with config copies and backups) and the authorized_keys lines phase 2 added on nodes that are not
 * in the target cluster now, then the journal itself: a forgotten merge can no longer be rolled back, so while a
 * rollback is still possible the caller must say so explicitly (`force`).
 */
import * as fs from 'node:fs';
import { ganeti } from '../remote';
import { DEFAULT_SNAPSHOT_LOCATION } from '../remote/commands/snapshot';
import type { CommandRunner } from '../remote/runner';
import { deleteIdentityAside, deleteSnapshotTars, IDENTITY_FILES, PREMERGE_SUFFIX } from '../remote/commands/node-files';
import { forEachBounded } from './parallel';
import type { Journal, UndoRecord } from './journal';
import { isReadOnlyPhase, PHASES } from './types';
import { WorkFiles } from './work-files';

export type ForgetItemKind = 'snapshot' | 'identity-aside' | 'authorized-key' | 'cluster-lock' | 'work-files' | 'journal';

export interface ForgetItem {
  readonly kind: ForgetItemKind;
  /** Node it concerns; undefined for local files. */
  readonly host?: string;
  /** What is deleted, for the operator (paths, never contents). */
  readonly what: string;
}

export interface ForgetPlan {
  readonly items: readonly ForgetItem[];
  /** Why a rollback is still possible, or undefined when it is not (rolled back, or nothing done). */
  readonly rollbackPossible?: string;
}

export interface ForgetResult {
  readonly deleted: readonly ForgetItem[];
  /** Added keys left in place because the node is in the target cluster now (Ganeti needs them). */
  readonly keptKeys: readonly ForgetItem[];
}

export class ForgetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForgetRefusedError';
  }
}

const snapshotTar = (id: unknown) => `${DEFAULT_SNAPSHOT_LOCATION.snapshotDir}/${String(id)}.tar`;

/** Why the journal still allows a rollback, or undefined. */
export function rollbackStillPossible(journal: Journal): string | undefined {
  const doc = journal.doc;
  if (doc.rollback?.state === 'done') return undefined;
  const touched = PHASES.filter((p) => !['pending', 'undone'].includes(journal.phase(p.id).state)).map((p) => p.id);
  const acting = touched.filter((id) => !isReadOnlyPhase(id));
  if (acting.length === 0) return undefined;
  if (doc.rollback) return `a rollback was started and is ${doc.rollback.state}`;
  return `the merge is ${doc.outcome ?? 'unfinished'} (phases ${acting[0]}..${acting[acting.length - 1]} not undone): it can still be rolled back`;
}

const pending = (r: UndoRecord) => !r.undone;

/** Everything forget would delete, without touching anything. */
export function planForget(journal: Journal, files = WorkFiles.forJournal(journal.file)): ForgetPlan {
  const items: ForgetItem[] = [];
  for (const r of journal.records('snapshot', 'snapshot')) {
    items.push({ kind: 'snapshot', host: r.host, what: `${snapshotTar(r.data.ganeti)} and ${snapshotTar(r.data.ssh)}` });
  }
  // Undone records: the files were moved back by the rollback.
  for (const r of journal.records('stop-mergee-daemons', 'daemons-stopped').filter(pending)) {
    items.push({ kind: 'identity-aside', host: r.host, what: IDENTITY_FILES.map((f) => `${f}${PREMERGE_SUFFIX}`).join(' and ') });
  }
  for (const r of journal.records('authorize-target-master', 'authorized-key').filter(pending)) {
    if (r.data.added !== true) continue;
    items.push({ kind: 'authorized-key', host: r.host, what: `the target master's key in ${ganeti.ROOT_AUTHORIZED_KEYS} (unless the node is in the target cluster now)` });
  }
  // A forgotten merge holds nothing: its cluster locks go too (only while they still name this merge).
  for (const host of journal.doc.locks?.hosts ?? []) items.push({ kind: 'cluster-lock', host, what: `the merge lock ${ganeti.MERGE_LOCK_FILE}` });
  if (fs.existsSync(files.dir)) items.push({ kind: 'work-files', what: `${files.dir} (config copies, the target's backup, snapshot copies)` });
  items.push({ kind: 'journal', what: journal.file });
  return { items, rollbackPossible: rollbackStillPossible(journal) };
}

/**
 * Nodes of the target cluster now: there Ganeti itself relies on the target master's key (3.x
 * lists it in ganeti_pub_keys and puts it on every node), so the line phase 2 added must stay.
 * A master that does not answer is an error: guessing could lock Ganeti out of its nodes.
 */
async function targetMembers(runner: CommandRunner, journal: Journal, signal?: AbortSignal): Promise<Set<string>> {
  const master = journal.doc.facts?.target.master ?? journal.doc.options.target;
  try {
    return new Set((await runner.run(master, ganeti.nodeList(), { signal })).map((n) => n.name));
  } catch (err) {
    throw new Error(`cannot tell which nodes belong to the target cluster now (to keep the master's key there): ${(err as Error).message}`, { cause: err });
  }
}

export interface ForgetOptions {
  readonly runner: CommandRunner;
  /** Required when a rollback is still possible: forgetting makes it impossible. */
  readonly force?: boolean;
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly progress?: (message: string) => void;
}

/**
 * Deletes what planForget lists. Idempotent: an interrupted forget can run again (the journal is
 * deleted last, and only when everything else succeeded).
 */
export async function forgetMerge(journal: Journal, options: ForgetOptions, files = WorkFiles.forJournal(journal.file)): Promise<ForgetResult> {
  const plan = planForget(journal, files);
  if (plan.rollbackPossible && !options.force) {
    throw new ForgetRefusedError(`${plan.rollbackPossible}; forgetting deletes the snapshots a rollback needs (force it to forget anyway)`);
  }
  const { runner, signal } = options;
  const say = options.progress ?? (() => undefined);
  const deleted: ForgetItem[] = [];
  const keptKeys: ForgetItem[] = [];
  const byHost = new Map<string, ForgetItem[]>();
  for (const item of plan.items) if (item.host) byHost.set(item.host, [...(byHost.get(item.host) ?? []), item]);

  const snapshots = new Map(journal.records('snapshot', 'snapshot').map((r) => [r.host, [snapshotTar(r.data.ganeti), snapshotTar(r.data.ssh)]]));
  const keys = journal.records('authorize-target-master', 'authorized-key').filter((r) => pending(r) && r.data.added === true);
  let members: Promise<Set<string>> | undefined;
  await forEachBounded([...byHost.keys()], options.concurrency ?? 4, async (host) => {
    for (const item of byHost.get(host)!) {
      if (item.kind === 'snapshot') await runner.run(host, deleteSnapshotTars(snapshots.get(host)!), { signal });
      else if (item.kind === 'identity-aside') await runner.run(host, deleteIdentityAside(), { signal });
      else if (item.kind === 'cluster-lock') {
        // A name that does not answer any more (a cluster IP the merge moved) must not keep the rest from being forgotten.
        const released = await runner.run(host, ganeti.releaseMergeLock(journal.id), { signal }).then(() => true, (err: Error) => {
          say(`${host}: could not release the merge lock (${err.message}); if it is still there: ganeti-merge unlock --host ${host}`);
          return false;
        });
        if (!released) continue;
      }
      else if (item.kind === 'authorized-key') {
        const key = String(keys.find((r) => r.host === host)!.data.key);
        members ??= targetMembers(runner, journal, signal);
        if ((await members).has(host)) {
          keptKeys.push(item);
          say(`${host}: kept the target master's key: the node is in the target cluster now and Ganeti relies on it`);
          continue;
        }
        await runner.run(host, ganeti.removeAuthorizedKey(key), { signal });
      }
      deleted.push(item);
      say(`${host}: deleted ${item.what}`);
    }
  });
  for (const item of plan.items.filter((i) => !i.host)) {
    if (item.kind === 'work-files') files.removeAll();
    else if (item.kind === 'journal') fs.rmSync(journal.file, { force: true });
    deleted.push(item);
    say(`deleted ${item.what}`);
  }
  return { deleted, keptKeys };
}
