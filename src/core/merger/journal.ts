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
import { validatePlanOptions } from './plan-options';
import { quoted } from '../safe-text';
import { writeFileAtomicSync } from '../atomic-write';
import { NOT_REGULAR_FILE, readStateFileSync } from '../read-state-file';
import type { RecordedClusterState } from './cluster-state';
import type { MergeEnd } from './outcome';
import { isDnsName, isHostName } from '../remote/names';
import { isSafeId } from '../remote/commands/remote-path';

export const JOURNAL_FORMAT = 1;

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

export type JournalErrorCode = 'E_JOURNAL_UNREADABLE' | 'E_JOURNAL_INVALID' | 'E_JOURNAL_EXISTS';

export class JournalError extends Error {
  constructor(message: string, readonly code: JournalErrorCode = 'E_JOURNAL_INVALID') {
    super(message);
    this.name = 'JournalError';
  }
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

const STATES: readonly PhaseState[] = ['pending', 'running', 'done', 'failed', 'undoing', 'undone'];

/**
 * Checks the shape of a loaded document; a journal we do not understand is never acted on. Its
 * options pass the same rules as a new merge's (names end in remote commands). Messages name
 * what is wrong, never the file's content.
 */
export function validateJournal(value: unknown, source: string): JournalDocument {
  const bad = (why: string) => new JournalError(`${quoted(source)} is not a merge journal: ${why}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('not a JSON object');
  const doc = value as Partial<JournalDocument>;
  if (doc.format !== JOURNAL_FORMAT) throw bad(`format ${JSON.stringify(doc.format)} (expected ${JOURNAL_FORMAT})`);
  if (!isSafeId(doc.id)) throw bad('missing or invalid id');
  const o = doc.options;
  if (!o || typeof o.target !== 'string' || !Array.isArray(o.mergees)) throw bad('missing options.target/mergees');
  const checked = validatePlanOptions(o, { clusters: true });
  const problem = checked.problems[0];
  if (problem) throw bad(`options.${problem.field} is invalid (expected ${problem.expected})`);
  // journals written before the stop policy existed stored a boolean
  o.stopInstances = checked.options.stopInstances;
  if (!doc.phases || typeof doc.phases !== 'object') throw bad('missing phases');
  // Phases run in order and never return to pending: one that ran after a pending one is no journal the engine wrote.
  let pending: PhaseId | undefined;
  for (const p of PHASES) {
    const entry = (doc.phases as Record<string, PhaseEntry>)[p.id];
    if (!entry || !STATES.includes(entry.state) || !Array.isArray(entry.records)) throw bad(`phase ${p.id} missing or invalid`);
    if (entry.state === 'pending') pending ??= p.id;
    else if (pending) throw bad(`phase ${p.id} is ${entry.state} while the earlier phase ${pending} is pending (phases out of order)`);
  }
  if (doc.rollback !== undefined && (!isObject(doc.rollback) || !['running', 'done', 'failed'].includes(doc.rollback.state))) throw bad('invalid rollback');
  const seqs = new Set<number>();
  for (const p of PHASES) {
    for (const record of (doc.phases as Record<string, PhaseEntry>)[p.id].records) {
      const problem = recordProblem(record);
      if (problem) throw bad(`phase ${p.id}: a record ${problem}`);
      if (seqs.has(record.seq)) throw bad(`phase ${p.id}: record seq ${record.seq} is used twice`);
      seqs.add(record.seq);
    }
  }
  if (doc.facts !== undefined) {
    const f = doc.facts as Partial<PreflightFacts> | null;
    const clusters = f && typeof f === 'object' && Array.isArray(f.mergees) ? [f.target, ...f.mergees] : [undefined];
    const problem = clusters.map(clusterFactsProblem).find(Boolean);
    if (problem) throw bad(`invalid facts: ${problem}`);
  }
  // the hosts of commands in flight are waited on (orphan-wait.ts) before anything else
  if (doc.inFlight !== undefined && (!Array.isArray(doc.inFlight) || doc.inFlight.some((c) => typeof c?.host !== 'string' || !isHostName(c.host) || typeof c.command !== 'string' || !PHASES.some((p) => p.id === c.phase)))) {
    throw bad('invalid inFlight');
  }
  // the masters holding this merge's cluster locks end in remote commands: names only
  const locks = doc.locks;
  if (locks !== undefined && (typeof locks !== 'object' || locks === null || !Array.isArray(locks.hosts) || !locks.hosts.every((h) => typeof h === 'string' && isHostName(h)) || typeof locks.since !== 'string')) {
    throw bad('invalid locks');
  }
  if (doc.left !== undefined && (typeof doc.left !== 'object' || doc.left === null || typeof doc.left.state !== 'object')) throw bad('invalid left');
  const reportProblem = reportFieldsProblem(doc);
  if (reportProblem) throw bad(`invalid ${reportProblem}`);
  return doc as JournalDocument;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNameList = (v: unknown) => Array.isArray(v) && v.every((n) => typeof n === 'string' && isDnsName(n));

/**
 * The types of the record data fields the phases' undo and forget act on (instance names, key
 * lines, snapshot ids, work file names), whatever the record's kind: a hand-edited journal must
 * fail here, before a rollback has run half of its commands, not on its record in the middle.
 */
const DATA_FIELDS: Record<string, (v: unknown) => boolean> = {
  names: isNameList,
  stopped: isNameList,
  key: (v) => typeof v === 'string',
  ganeti: isSafeId,
  ssh: isSafeId,
  sha256: (v) => typeof v === 'string',
  preexisting: (v) => typeof v === 'boolean',
  added: (v) => typeof v === 'boolean',
};

function recordProblem(r: unknown): string | undefined {
  if (!isObject(r)) return 'is not an object';
  if (typeof r.seq !== 'number' || !Number.isInteger(r.seq) || r.seq < 1) return 'has an invalid seq';
  if (typeof r.kind !== 'string') return 'has an invalid kind';
  // the host of a record is where its undo runs
  if (typeof r.host !== 'string' || !isHostName(r.host)) return `${r.kind} has an invalid host`;
  if (typeof r.done !== 'boolean' || (r.undone !== undefined && typeof r.undone !== 'boolean')) return `${r.kind} has an invalid done/undone`;
  const data = r.data;
  if (!isObject(data)) return `${r.kind} has invalid data`;
  const field = Object.keys(DATA_FIELDS).find((k) => data[k] !== undefined && !DATA_FIELDS[k](data[k]));
  return field ? `${r.kind} has an invalid data.${field}` : undefined;
}

const isTime = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v));
const isText = (v: unknown) => v === undefined || typeof v === 'string';
const isListOf = (v: unknown, ok: (e: Record<string, unknown>) => boolean) => Array.isArray(v) && v.every((e) => isObject(e) && ok(e));

/**
 * The fields only the report, status and the editor read (times, errors, the command log, the
 * after-merge inventory): their types are checked too, so that a report of a hand-edited journal
 * is E_JOURNAL_INVALID, not a TypeError from deep inside the renderer.
 */
function reportFieldsProblem(doc: Partial<JournalDocument>): string | undefined {
  if (typeof doc.createdAt !== 'number' || !isTime(doc.updatedAt)) return 'createdAt/updatedAt';
  const bad = PHASES.find(({ id }) => {
    const e = (doc.phases as Record<string, PhaseEntry>)[id];
    return !isTime(e.startedAt) || !isTime(e.finishedAt) || !isText(e.error);
  });
  if (bad) return `phase ${bad.id} times or error`;
  const r = doc.rollback as Partial<RollbackEntry> | undefined;
  if (r && (!isTime(r.startedAt) || !isTime(r.finishedAt) || !isText(r.error))) return 'rollback';
  if (doc.origin !== undefined && !isObject(doc.origin)) return 'origin';
  if (doc.commands !== undefined && !isListOf(doc.commands, (c) => typeof c.host === 'string' && Array.isArray(c.argv) && c.argv.every((a) => typeof a === 'string') && isText(c.startedAt) && isTime(c.durationMs))) {
    return 'commands';
  }
  const after = doc.afterMerge as unknown;
  if (after !== undefined && (!isObject(after) || !isListOf(after.nodes, (n) => typeof n.name === 'string') || !isListOf(after.instances, (i) => typeof i.name === 'string'))) {
    return 'afterMerge';
  }
  const facts = doc.facts as Partial<PreflightFacts> | undefined;
  if (facts && ![facts.target, ...(facts.mergees ?? [])].every((c) => isListOf((c as unknown as Record<string, unknown>).groups, (g) => typeof g.name === 'string'))) return 'facts groups';
  const report = facts?.mergeReport as unknown;
  if (report !== undefined && (!isObject(report) || !Object.values(report).every((v) => v === undefined || Array.isArray(v)))) return 'facts.mergeReport';
  return undefined;
}

/** The preflight facts name the masters and nodes a rollback and forget connect to and re-add. */
function clusterFactsProblem(c: unknown): string | undefined {
  if (!isObject(c)) return 'a cluster is not an object';
  if (typeof c.name !== 'string' || typeof c.master !== 'string' || !isHostName(c.master)) return 'a cluster has an invalid name or master';
  if (!Array.isArray(c.nodes) || !c.nodes.every((n) => isObject(n) && typeof n.name === 'string' && isDnsName(n.name) && typeof n.offline === 'boolean')) {
    return `cluster ${quoted(c.name)} has invalid nodes`;
  }
  // instance names only ever meet live lists (the commands name instances Ganeti listed just now)
  if (!Array.isArray(c.instances) || !c.instances.every((i) => isObject(i) && typeof i.name === 'string' && typeof i.running === 'boolean')) {
    return `cluster ${quoted(c.name)} has invalid instances`;
  }
  return undefined;
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
