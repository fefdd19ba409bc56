/**
 * What a loaded merge journal must be before anything acts on it: its format, options, phase
 * states in order, undo records, facts, and the fields only the report and status read. A journal
 * this does not accept is never acted on, and its messages name what is wrong, never the content.
 */
import { PHASES, type PhaseId, type PhaseState } from './types';
import type { PreflightFacts } from './facts';
import type { JournalDocument, PhaseEntry, RollbackEntry } from './journal';
import { JournalError } from './journal-error';
import { validatePlanOptions } from './plan-options';
import { isJsonObject } from '../config/json/values';
import type { JsonObject } from '../config/types';
import { quoted } from '../safe-text';
import { isDnsName, isHostName } from '../remote/names';
import { isSafeId } from '../remote/commands/remote-path';

export const JOURNAL_FORMAT = 1;

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
  const seqs = new Set<number>();
  for (const p of PHASES) {
    const entry = (doc.phases as Record<string, PhaseEntry>)[p.id];
    if (!entry || !STATES.includes(entry.state) || !Array.isArray(entry.records)) throw bad(`phase ${p.id} missing or invalid`);
    if (entry.state === 'pending') pending ??= p.id;
    else if (pending) throw bad(`phase ${p.id} is ${entry.state} while the earlier phase ${pending} is pending (phases out of order)`);
    for (const record of entry.records) {
      const problem = recordProblem(record);
      if (problem) throw bad(`phase ${p.id}: a record ${problem}`);
      if (seqs.has(record.seq)) throw bad(`phase ${p.id}: record seq ${record.seq} is used twice`);
      seqs.add(record.seq);
    }
  }
  if (doc.rollback !== undefined && (!isObject(doc.rollback) || !['running', 'done', 'failed'].includes(doc.rollback.state))) throw bad('invalid rollback');
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

const isObject = isJsonObject;
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
const isListOf = (v: unknown, ok: (e: JsonObject) => boolean) => Array.isArray(v) && v.every((e) => isObject(e) && ok(e));

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
  const report = (doc.facts as Partial<PreflightFacts> | undefined)?.mergeReport as unknown;
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
  // read by the report and the plan
  if (!isListOf(c.groups, (g) => typeof g.name === 'string')) return `cluster ${quoted(c.name)} has invalid groups`;
  return undefined;
}
