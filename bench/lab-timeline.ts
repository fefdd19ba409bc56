/**
 * Where the wall time of a merge went, from the transcript: the time at least one remote command
 * was in flight (the remote commands' critical path, parallel commands counted once) and the
 * gaps between. A gap right after a failed command is a retry back-off (waiting for daemons that
 * are still starting), not the tool's own work; the other gaps are the tool's overhead.
 */
import type { TranscriptEvent } from '../src/core/remote/transcript';

export interface Timeline {
  readonly wallMs: number;
  readonly remoteMs: number;
  readonly backoffMs: number;
  readonly overheadMs: number;
  readonly commands: number;
  readonly failedCommands: number;
  /** The largest overhead gaps with the command before them, for finding where time goes. */
  readonly largestGaps: readonly { ms: number; after: string }[];
}

/** "host: argv" on one short line (scripts passed to sh -c are multi-line). */
function describe(e: TranscriptEvent): string {
  const text = `${e.host.split('.')[0]}: ${e.argv.slice(0, 3).join(' ')}`.split('\n')[0];
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function timeline(events: readonly TranscriptEvent[], startMs: number, endMs: number): Timeline {
  const spans = events
    .map((e) => ({ start: Date.parse(e.startedAt), end: Date.parse(e.startedAt) + e.durationMs, failed: e.exitCode !== 0, what: describe(e) }))
    .sort((a, b) => a.start - b.start);
  let remoteMs = 0;
  let backoffMs = 0;
  const gaps: { ms: number; after: string }[] = [];
  let cursor = startMs;
  let last: (typeof spans)[number] | undefined;
  for (const s of spans) {
    if (s.start > cursor) {
      const gap = s.start - cursor;
      if (last?.failed) backoffMs += gap;
      else gaps.push({ ms: gap, after: last?.what ?? '(start)' });
    }
    if (s.end > cursor) {
      remoteMs += s.end - Math.max(cursor, s.start);
      cursor = s.end;
      last = s;
    }
  }
  if (endMs > cursor) gaps.push({ ms: endMs - cursor, after: last?.what ?? '(start)' });
  const overheadMs = gaps.reduce((sum, g) => sum + g.ms, 0);
  return {
    wallMs: endMs - startMs, remoteMs, backoffMs, overheadMs,
    commands: spans.length, failedCommands: spans.filter((s) => s.failed).length,
    largestGaps: gaps.sort((a, b) => b.ms - a.ms).slice(0, 5),
  };
}
