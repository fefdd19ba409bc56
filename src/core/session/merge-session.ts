/**
 * openMergeSession: the ssh session, runner, transcript and engine of one merge, opened the same
 * way for the editor and the CLI. A plan starts a new merge at `journalFile`; without one the
 * journal there is opened (resume, step, roll back).
 */
import { openMerge, startMerge } from './create';
import type { MergeEngine } from '../merger/engine';
import type { ChangedPolicy } from '../merger/merge-guard';
import type { ConfigApprover } from '../merger/phase';
import type { MergePlanOptions } from '../merger/types';
import { READDED_NODES_KNOWN_HOSTS, WorkFiles } from '../merger/work-files';
import type { Transcript } from '../remote/transcript';
import { openSshSession, type SshSession, type SshSessionOptions } from './ssh-session';

export interface MergeSessionOptions extends SshSessionOptions {
  readonly journalFile: string;
  /** Given: a new merge (the journal must not exist yet); unset options take their defaults. */
  readonly plan?: Pick<MergePlanOptions, 'target' | 'mergees'> & Partial<MergePlanOptions>;
  readonly approveConfig?: ConfigApprover;
  /** When the target changed since the merge left it: refuse (default), go on (--force) or ask (the editor's modal). */
  readonly onChanged?: ChangedPolicy;
  /** The guard's notes for the operator (a lock taken over, a forced check, a lock not released). */
  readonly note?: (message: string) => void;
  /** Recorded as the merge's origin ('cli', 'vscode'). */
  readonly frontEnd?: string;
}

export interface MergeSession {
  readonly engine: MergeEngine;
  readonly transcript: Transcript;
  /** Closes the connections and releases the journal's local lock; the journal stays and a new session picks it up. */
  close(): Promise<void>;
}

/** The ssh session of the merge journaled at `journalFile` (also what `forget` uses to clean up after it). */
export function openJournalSshSession(journalFile: string, ssh: SshSessionOptions): SshSession {
  return openSshSession({
    ...ssh,
    // the target master's host keys, which re-added mergee nodes carry (recorded by phase readd-nodes)
    alsoTrustedKnownHostsPaths: [...(ssh.alsoTrustedKnownHostsPaths ?? []), WorkFiles.forJournal(journalFile).pathOf(READDED_NODES_KNOWN_HOSTS)],
  });
}

export function openMergeSession(options: MergeSessionOptions): MergeSession {
  const { journalFile, plan, approveConfig, frontEnd, onChanged, note, ...ssh } = options;
  const session = openJournalSshSession(journalFile, ssh);
  const parts = { runner: session.runner, prompter: ssh.prompter, transcript: session.transcript, approveConfig, frontEnd, onChanged, note };
  try {
    const engine = plan ? startMerge(journalFile, plan, parts) : openMerge(journalFile, parts);
    return {
      engine, transcript: session.transcript,
      close: () => {
        engine.close();
        return session.close();
      },
    };
  } catch (err) {
    void session.close();
    throw err;
  }
}
