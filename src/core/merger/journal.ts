/**
 * The merge journal: the single source of truth of one merge (docs: merge-procedure, "Journal").
 * One JSON document (id, options, preflight facts, per-phase state, undo records), rewritten
 * atomically (temp file + fsync + rename + directory fsync) on every change, so a crash leaves
 * either the old or the new document, never a torn one. It never holds secrets: config contents
 * and snapshots live in the merge's work files (see work-files.ts), the journal only names them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { randomBytes } from 'node:crypto';
import { PHASES, PhaseId, PhaseState, MergePlanOptions } from './types';
import type { MergedInventory, PreflightFacts } from './facts';
import { JOURNAL_FORMAT, validateJournal } from './journal-validate';
import { JournalError } from './journal-error';
import { quoted } from '../safe-text';
import { writeFileAtomicSync } from '../atomic-write';
import { NOT_REGULAR_FILE, readStateFileSync } from '../read-state-file';
import type { RecordedClusterState } from './cluster-state';
import type { MergeEnd } from './outcome';

export { JOURNAL_FORMAT, validateJournal, JournalError };
export type { JournalErrorCode } from './journal-error';

/** What one undo needs, recorded BEFORE the action; `done` once the action is known to have happened. */
export interface UndoRecord {
  readonly seq: number;
  readonly kind: string;
  readonly host: string;
  data: Record<string, unknown>;
  done: boolean;
  /** Set by the undo once it has reverted this record (undo is then skipped on re-run). */
  undone?: boolean;
}

export interface PhaseEntry {
  state: PhaseState;
  startedAt?: number;
  finishedAt?: number;
  error?: string;
  records: UndoRecord[];
}

export interface RollbackEntry {
  state: 'running' | 'done' | 'failed';
  startedAt: number;
  finishedAt?: number;
  error?: string;
  /** The restore of every node past the point of no return (full rollback), once it completed. */
  fullRestoreDone?: boolean;
}

/**
 * A remote command sent and not known to have returned, saved BEFORE it is sent. One left in the
 * journal by a killed run may still be running on its host (see remote/run-lock.ts).
 */
export interface SentCommand {
  readonly phase: PhaseId;
  readonly host: string;
  /** The argv as the transcript shows it (secrets redacted), for messages and tests. */
  readonly command: string;
  readonly sentAt: number;
}

/** Who started the merge, from where: for the merge report (never a secret: no environment, no argv). */
export interface JournalOrigin {
  readonly user: string;
  readonly host: string;
  readonly cwd: string;
  readonly pid: number;
  /** 'cli' or 'vscode'. */
  readonly frontEnd: string;
  readonly version: string;
}

/** One remote command that ended: the transcript's record (argv already redacted), kept for the report. */
export interface CommandRecord {
  readonly phase?: PhaseId;
  /** Sent by a rollback (the phase is then the one being undone). */
  readonly rollback?: boolean;
  readonly host: string;
  readonly argv: readonly string[];
  readonly exitCode: number | null;
  readonly signal?: string;
  readonly error?: string;
  readonly startedAt: string;
  readonly durationMs: number;
}

export interface JournalDocument {
  format: typeof JOURNAL_FORMAT;
  id: string;
  createdAt: number;
  updatedAt: number;
  options: MergePlanOptions;
  facts?: PreflightFacts;
  phases: Record<PhaseId, PhaseEntry>;
  rollback?: RollbackEntry;
  /** Commands in flight (absent or empty when none). */
  inFlight?: SentCommand[];
  outcome?: MergeEnd;
  /** The target cluster as the merge last left it (merge-guard.ts): checked before a rollback or resume. */
  left?: RecordedClusterState;
  /** Masters where this merge holds the cluster lock (merge-guard.ts), until it completes, is rolled back or forgotten. */
  locks?: { hosts: string[]; since: string };
  /** Absent in journals written before the merge report existed. */
  origin?: JournalOrigin;
  /** The merged cluster after phase verify-merged (absent before it ran, and in older journals). */
  afterMerge?: MergedInventory;
  /** Every remote command that ended, in order (absent in older journals). */
  commands?: CommandRecord[];
}

/** This process as a merge's origin. */
export function currentOrigin(frontEnd: string, version: string): JournalOrigin {
  let user: string;
  try {
    user = os.userInfo().username;
  } catch {
    user = String(process.getuid?.() ?? 'unknown');
  }
  return { user, host: os.hostname(), cwd: process.cwd(), pid: process.pid, frontEnd, version };
}


export function newMergeId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `merge-${stamp}-${randomBytes(3).toString('hex')}`;
}

function emptyPhases(): Record<PhaseId, PhaseEntry> {
  const phases = {} as Record<PhaseId, PhaseEntry>;
  for (const p of PHASES) phases[p.id] = { state: 'pending', records: [] };
  return phases;
}

/**
 * The file a journal path names: a symlink is followed, so that every path to one journal shares
 * its lock (journal-lock.ts) and its work files, and a save replaces the journal, not the link.
 * A path that does not exist yet is its own.
 */
export function realJournalPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/** An open journal: the document in memory, saved to `file` on every change. */
export class Journal {
  private constructor(readonly file: string, readonly doc: JournalDocument) {}

  /** Starts a new journal; refuses to overwrite an existing one (it may be a merge in progress). */
  static create(file: string, options: MergePlanOptions, id = newMergeId(), origin?: JournalOrigin): Journal {
    if (fs.existsSync(file)) throw new JournalError(`${quoted(file)} already exists: resume, roll back or remove that merge first`, 'E_JOURNAL_EXISTS');
    const now = Date.now();
    const journal = new Journal(file, { format: JOURNAL_FORMAT, id, createdAt: now, updatedAt: now, options, phases: emptyPhases(), ...(origin ? { origin } : {}) });
    journal.save();
    return journal;
  }

  static load(given: string): Journal {
    const file = realJournalPath(given);
    let text: string;
    try {
      text = readStateFileSync(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new JournalError(`cannot read journal ${quoted(given)}: ${code === NOT_REGULAR_FILE ? 'not a regular file' : code ?? 'read error'}`, 'E_JOURNAL_UNREADABLE');
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // JSON.parse's message quotes the text: a secret file given by mistake must not leak.
      throw new JournalError(`${quoted(given)} is not a merge journal: not valid JSON`);
    }
    return new Journal(file, validateJournal(value, given));
  }

  get id(): string {
    return this.doc.id;
  }

  save(): void {
    this.doc.updatedAt = Date.now();
    writeFileAtomicSync(this.file, `${JSON.stringify(this.doc, null, 2)}\n`);
  }

  phase(id: PhaseId): PhaseEntry {
    return this.doc.phases[id];
  }

  setState(id: PhaseId, state: PhaseState, error?: string): PhaseEntry {
    const entry = this.phase(id);
    entry.state = state;
    if (state === 'running' || state === 'undoing') entry.startedAt = Date.now();
    if (state === 'done' || state === 'failed' || state === 'undone') entry.finishedAt = Date.now();
    if (error === undefined) delete entry.error;
    else entry.error = error;
    this.save();
    return entry;
  }

  /** Records an intended action (saved before it runs). */
  addRecord(phase: PhaseId, kind: string, host: string, data: Record<string, unknown> = {}): UndoRecord {
    const all = PHASES.flatMap((p) => this.doc.phases[p.id].records);
    const record: UndoRecord = { seq: all.reduce((m, r) => Math.max(m, r.seq), 0) + 1, kind, host, data, done: false };
    this.phase(phase).records.push(record);
    this.save();
    return record;
  }

  /** Widens a recorded action before it runs further, e.g. a re-run about to do more than the first attempt (saved at once). */
  amendRecord(record: UndoRecord, data: Record<string, unknown>): void {
    record.data = { ...record.data, ...data };
    this.save();
  }

  /** Marks a recorded action as happened, merging what it learned (saved at once). */
  completeRecord(record: UndoRecord, data: Record<string, unknown> = {}): void {
    record.done = true;
    this.amendRecord(record, data);
  }

  markUndone(record: UndoRecord): void {
    record.undone = true;
    this.save();
  }

  /** Records a command about to be sent (saved: a crash from here on leaves it in the journal). */
  commandSent(phase: PhaseId, host: string, command: string): SentCommand {
    const sent: SentCommand = { phase, host, command, sentAt: Date.now() };
    (this.doc.inFlight ??= []).push(sent);
    this.save();
    return sent;
  }

  /**
   * Forgets a command that returned. Not saved on its own: the phase's next save carries it, and a
   * crash before that only makes the next run wait for a lock that is already free.
   */
  commandReturned(sent: SentCommand): void {
    const list = this.doc.inFlight ?? [];
    const i = list.indexOf(sent);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) delete this.doc.inFlight;
  }

  /**
   * Keeps the record of a command that ended, for the report. Not saved on its own (a save per
   * command would double the journal's writes): the next command's commandSent or the phase's
   * next state carries it, so a crash loses at most the records since, never an in-flight one.
   */
  commandEnded(record: CommandRecord): void {
    (this.doc.commands ??= []).push(record);
  }

  records(phase: PhaseId, kind?: string, host?: string): UndoRecord[] {
    return this.phase(phase).records.filter((r) => (kind === undefined || r.kind === kind) && (host === undefined || r.host === host));
  }
}
