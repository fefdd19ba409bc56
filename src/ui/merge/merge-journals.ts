/**
 * Where the editor keeps its merges' journals (one directory per merge under the extension's
 * global storage) and which of them are unfinished. No vscode import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Journal, newMergeId } from '../../core/merger/journal';
import { isReadOnlyPhase } from '../../core/merger/types';

export const JOURNAL_FILE = 'journal.json';

export interface JournalSummary {
  readonly file: string;
  readonly id: string;
  readonly target: string;
  readonly mergees: readonly string[];
  /** The phase that ran last (for the recovery question). */
  readonly lastPhase?: string;
  readonly rollingBack: boolean;
}

/** A fresh journal path for a new merge: <dir>/<id>/journal.json (the directory is made, 0700). */
export function newJournalFile(dir: string, now = new Date()): string {
  const mergeDir = path.join(dir, newMergeId(now));
  fs.mkdirSync(mergeDir, { recursive: true, mode: 0o700 });
  return path.join(mergeDir, JOURNAL_FILE);
}

/**
 * A merge needs the operator when it changed a cluster and neither finished merging nor finished
 * rolling back: it was interrupted (the editor closed or crashed), failed, or was cancelled.
 */
export function isUnfinished(journal: Journal): boolean {
  const { outcome, rollback, phases } = journal.doc;
  if (rollback) return rollback.state !== 'done';
  if (outcome === 'merged') return false;
  // read-only phases (the phase table says which) changed nothing: a merge stopped after them needs no decision
  return Object.entries(phases).some(([id, p]) => !isReadOnlyPhase(id) && ['running', 'done', 'failed', 'undoing'].includes(p.state));
}

export function summarize(journal: Journal): JournalSummary {
  const { options, phases, rollback } = journal.doc;
  const ran = Object.entries(phases).filter(([, p]) => p.state !== 'pending');
  return {
    file: journal.file, id: journal.id, target: options.target, mergees: options.mergees,
    lastPhase: ran.at(-1)?.[0], rollingBack: rollback !== undefined && rollback.state !== 'done',
  };
}

/** The journal files under `dir`, newest first (merge ids start with their time). */
export function journalFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return entries.sort().reverse().map((name) => path.join(dir, name, JOURNAL_FILE)).filter((file) => fs.existsSync(file));
}

/** Unfinished merges under `dir`, newest first; unreadable journals are reported, not hidden. */
export function findUnfinished(dir: string): { unfinished: JournalSummary[]; unreadable: string[] } {
  const unfinished: JournalSummary[] = [];
  const unreadable: string[] = [];
  for (const file of journalFiles(dir)) {
    try {
      const journal = Journal.load(file);
      if (isUnfinished(journal)) unfinished.push(summarize(journal));
    } catch (err) {
      unreadable.push(`${file}: ${(err as Error).message}`);
    }
  }
  return { unfinished, unreadable };
}
