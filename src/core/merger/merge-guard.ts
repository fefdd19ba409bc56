/**
 * What keeps a merge from destroying what it does not own (issue 14, items 7 and 8):
 * - the cluster lock on the target and mergee masters (remote/commands/merge-lock.ts), taken before
 *   any operation on a journal and owned by the journal, not a process: a resume after a crash
 *   takes it again as its own. Released once the journal holds nothing on the clusters any more
 *   (merged, rolled back, only read, or forgotten);
 * - the local lock on the journal file (journal-lock.ts), so one process drives a journal;
 * - the target's state as the merge left it (cluster-state.ts), recorded when a phase that may
 *   change the target's config ends, and compared before a rollback and before a resume: anything
 *   else changed means someone used the cluster since, and the operator must decide.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { parseConfigBuffer } from '../config/parse';
import { quoted } from '../safe-text';
import { CONFIG_DATA } from '../phases/common';
import { ganeti } from '../remote';
import type { MergeLockOwner } from '../remote/commands/merge-lock';
import type { Prompter } from '../operator/prompter';
import { RemoteError } from '../remote/errors';
import type { CommandRunner } from '../remote/runner';
import { clusterStateOf, foreignChanges, type ClusterState } from './cluster-state';
import type { Journal } from './journal';
import type { JournalLock } from './journal-lock';
import { MergeLockError } from './lock-errors';
import { isReadOnlyPhase, PHASES, type PhaseId } from './types';

/** What to do when the target changed since the merge left it: refuse (CLI default), go on (--force), or ask (editor modal). */
export type ChangedPolicy = 'refuse' | 'force' | 'ask';

export interface MergeGuardOptions {
  readonly runner: CommandRunner;
  readonly prompter: Prompter;
  readonly onChanged: ChangedPolicy;
  readonly journalLock?: JournalLock;
  /** Notes for the operator (a forced check, a record or release that failed). */
  readonly note?: (message: string) => void;
}

const INDEX = new Map<PhaseId, number>(PHASES.map((p, i) => [p.id, i]));
/** From here on phases write the target's config; before, the target's config is as preflight found it. */
const FIRST_TARGET_WRITE: PhaseId = 'write-config';

/** True when a phase that changes the clusters ran and was not undone: there is something to roll back. */
function changedClusters(journal: Journal): boolean {
  return PHASES.some((p) => !isReadOnlyPhase(p.id) && !['pending', 'undone'].includes(journal.phase(p.id).state));
}

/** True while the journal's merge has changed the clusters and neither completed nor was rolled back. */
export function holdsClusters(journal: Journal): boolean {
  const doc = journal.doc;
  if (doc.rollback?.state === 'done') return false;
  if (PHASES.every((p) => journal.phase(p.id).state === 'done')) return false;
  return changedClusters(journal);
}

/** The masters the lock lives on: from preflight's facts once known (a mergee's cluster IP goes away mid-merge), else the names given. */
export function lockHosts(journal: Journal): { cluster: string; host: string }[] {
  const { facts, options } = journal.doc;
  const clusters = facts ? [facts.target, ...facts.mergees].map((c) => ({ cluster: c.given, host: c.master })) : [options.target, ...options.mergees].map((c) => ({ cluster: c, host: c }));
  return clusters.sort((a, b) => a.host.localeCompare(b.host));
}

export function describeLockOwner(owner: MergeLockOwner | undefined): string {
  if (!owner) return 'a lock file that cannot be read';
  return `merge ${quoted(owner.id)} (journal ${quoted(owner.journal)} on ${quoted(owner.host)}, by ${quoted(owner.user)}, since ${quoted(owner.since)})`;
}

/** A holder known to be gone: its journal was on this machine and no longer exists. */
function ownerGone(owner: MergeLockOwner | undefined): boolean {
  return owner !== undefined && owner.host === os.hostname() && path.isAbsolute(owner.journal) && !fs.existsSync(owner.journal);
}

export class MergeGuard {
  /** Set once this guard compared the target (or recorded it itself): later runs in this process need no new check. */
  private checked = false;

  constructor(readonly journal: Journal, private readonly options: MergeGuardOptions) {}

  private note(message: string): void {
    this.options.note?.(message);
  }

  /** Before an operation: takes the cluster locks, then checks the target is as the merge left it (always for a rollback, once per process for runs). */
  async begin(op: 'run' | 'rollback', signal?: AbortSignal): Promise<void> {
    // a rollback of a merge that changed nothing has nothing to undo on the clusters: no lock, no check
    if (op === 'rollback' && !changedClusters(this.journal)) return;
    await this.acquire(signal);
    if (op === 'rollback' || !this.checked) await this.checkUnchanged(op, signal);
    this.checked = true;
  }

  /** After an operation: releases the cluster locks once the journal holds nothing on the clusters. */
  async end(): Promise<void> {
    const doc = this.journal.doc;
    if (!doc.locks || holdsClusters(this.journal)) return;
    const failed: string[] = [];
    // Names given before preflight (a cluster name whose IP a merge moves) may not answer now; the
    // masters, where those names pointed, are what counts.
    const masters = new Set(lockHosts(this.journal).map((t) => t.host));
    for (const host of doc.locks.hosts) {
      try {
        await this.options.runner.run(host, ganeti.releaseMergeLock(doc.id));
      } catch (err) {
        if (masters.has(host)) failed.push(`${host}: ${(err as Error).message}`);
        else this.note(`merge lock: ${host} did not answer (${(err as Error).message}); its master's lock was released`);
      }
    }
    if (failed.length) {
      this.note(`could not release the merge lock on ${failed.join('; ')} (run \`ganeti-merge forget\` or \`ganeti-merge unlock\` later)`);
      return;
    }
    delete doc.locks;
    this.journal.save();
  }

  /** Releases the local journal lock (the cluster locks stay with the journal). */
  close(): void {
    this.options.journalLock?.release();
  }

  private async acquire(signal?: AbortSignal): Promise<void> {
    const doc = this.journal.doc;
    const targets = lockHosts(this.journal);
    const since = doc.locks?.since ?? new Date().toISOString();
    // Recorded before acting: a crash mid-way still knows every master that may hold this merge's lock.
    const hosts = [...new Set([...(doc.locks?.hosts ?? []), ...targets.map((t) => t.host)])];
    if (!doc.locks || hosts.length !== doc.locks.hosts.length) {
      doc.locks = { hosts, since };
      this.journal.save();
    }
    const owner: MergeLockOwner = { id: doc.id, host: os.hostname(), journal: path.resolve(this.journal.file), user: os.userInfo().username, since };
    const taken: string[] = [];
    for (const { cluster, host } of targets) {
      // An unreachable master is not a lock decision: the step that needs it fails with its own
      // error (a failed phase the operator can resume or roll back), not a throw before any phase.
      const r = await this.options.runner.run(host, ganeti.acquireMergeLock(owner), { signal }).catch((err: unknown) => {
        if (!(err instanceof RemoteError) || (err.kind !== 'connect' && err.kind !== 'timeout')) throw err;
        this.note(`merge lock: ${host} did not answer (${err.message}); not locked or confirmed there now`);
        return undefined;
      });
      if (r === undefined) continue;
      if (r.state === 'acquired') taken.push(host);
      if (r.state !== 'held') continue;
      // Never half-locked: give back what this call took, then refuse.
      for (const h of taken) await this.options.runner.run(h, ganeti.releaseMergeLock(doc.id)).catch(() => undefined);
      const clear = `\`ganeti-merge unlock --host ${host}\``;
      if (ownerGone(r.owner)) {
        throw new MergeLockError('E_LOCK_STALE', `cluster ${quoted(cluster)} (master ${host}) is locked by ${describeLockOwner(r.owner)}, whose journal no longer exists; if that merge is really gone, clear the lock with ${clear}`);
      }
      throw new MergeLockError('E_MERGE_LOCKED', `cluster ${quoted(cluster)} (master ${host}) is part of ${describeLockOwner(r.owner)}; wait for it to finish or roll it back; if its holder is gone, clear the lock with ${clear}`);
    }
  }

  private async readTarget(signal?: AbortSignal): Promise<ClusterState> {
    const master = this.journal.doc.facts!.target.master;
    const buf = await this.options.runner.run(master, ganeti.readFile(CONFIG_DATA), { signal });
    return clusterStateOf(parseConfigBuffer(buf, `${master}:${CONFIG_DATA}`));
  }

  /** Records the target as this merge leaves it, after `after` (a phase, or "rollback"); a failure is only noted. */
  async record(after: PhaseId | 'rollback'): Promise<void> {
    const doc = this.journal.doc;
    if (!doc.facts) return;
    if (after !== 'rollback' && after !== 'preflight' && INDEX.get(after)! < INDEX.get(FIRST_TARGET_WRITE)!) return;
    try {
      doc.left = { state: await this.readTarget(), at: Date.now(), after };
      this.journal.save();
      this.checked = true;
    } catch (err) {
      this.note(`could not record the target's state after ${after}: ${(err as Error).message}`);
    }
  }

  /** When a phase or the full restore was cut off (a crash), the names the merge may have added or removed itself. */
  private interrupted(): { knownNames: ReadonlySet<string> } | undefined {
    const cut = PHASES.some((p) => ['running', 'undoing'].includes(this.journal.phase(p.id).state));
    const facts = this.journal.doc.facts;
    if (!cut || !facts) return undefined;
    const names = [facts.target, ...facts.mergees].flatMap((c) => [...c.nodes.map((n) => n.name), ...c.instances.map((i) => i.name)]);
    return { knownNames: new Set(names) };
  }

  private async checkUnchanged(op: 'run' | 'rollback', signal?: AbortSignal): Promise<void> {
    const left = this.journal.doc.left;
    if (!left || (op === 'run' && !holdsClusters(this.journal))) return;
    let changes: string[];
    try {
      changes = foreignChanges(left.state, await this.readTarget(signal), this.interrupted());
    } catch (err) {
      changes = [`the target's config could not be read to compare: ${(err as Error).message}`];
    }
    if (changes.length === 0) return;
    const what = op === 'rollback' ? 'rolling back restores the state from before the merge and loses them' : 'resuming would act on a cluster the merge no longer knows';
    const message = `the target cluster changed since the merge last left it (after ${left.after}, ${new Date(left.at).toISOString()}); ${what}`;
    const policy = this.options.onChanged;
    const question = { id: 'cluster-changed', op: op === 'rollback' ? 'rollback' : 'resume', after: left.after, at: new Date(left.at).toISOString(), summary: changes.join('\n') } as const;
    if (policy === 'force' || (policy === 'ask' && await this.options.prompter.confirm(question))) {
      this.note(`E_CLUSTER_CHANGED overridden: ${changes.join('; ')}`);
      return;
    }
    throw new MergeLockError('E_CLUSTER_CHANGED', `${message}${policy === 'refuse' ? ' (use --force to go on anyway)' : ''}: ${changes.join('; ')}`, changes);
  }
}
