/**
 * How an engine event reads as text: one home for the CLI's stderr, the progress panel's
 * transcript and the editor's log. English, like the engine's errors.
 */
import type { TranscriptEvent } from '../remote/transcript';
import { oneLine } from '../safe-text';
import type { MergerEvent } from './types';

/**
 * The lines `event` reads as (none for a command record without `formatCommand`, since front ends
 * log commands from the transcript themselves). An event quotes remote and input text (an error
 * with a command's stderr, a finding naming a value): each line is oneLine'd, so no such text
 * starts a line of its own or reaches a terminal, log or panel as a control or bidi character.
 */
export function formatEvent(event: MergerEvent, formatCommand?: (event: TranscriptEvent) => string): string[] {
  return eventLines(event, formatCommand).map(oneLine);
}

function eventLines(event: MergerEvent, formatCommand?: (event: TranscriptEvent) => string): string[] {
  switch (event.type) {
    case 'phase':
      return [`[${event.phase.id}] ${event.phase.state}${event.phase.error ? `: ${event.phase.error}` : ''}`];
    case 'progress':
      return [`[${event.phase}] ${event.message}${progressCounter(event)}`];
    case 'command':
      return formatCommand ? [`${event.phase ? `[${event.phase}] ` : ''}${formatCommand(event.event)}`] : [];
    case 'findings':
      return event.findings.map((f) => `${f.severity} ${f.code}: ${f.message}`);
    case 'finished':
      return [`finished: ${event.outcome}${event.error ? `: ${event.error}` : ''}`];
  }
}

/** " (3/5)" when the progress counts something, else "". */
export function progressCounter(event: { done?: number; total?: number }): string {
  return event.total !== undefined ? ` (${event.done ?? 0}/${event.total})` : '';
}
