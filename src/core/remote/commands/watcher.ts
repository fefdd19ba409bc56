/** `gnt-cluster watcher pause SECONDS|continue`: keep the watcher from "repairing" a cluster mid-merge. */
import { RemoteCommand, outputLines } from '../command';

export interface WatcherState {
  readonly paused: boolean;
  /** As printed by the master (its local ctime), when paused. */
  readonly until?: string;
}

export function parseWatcherState(lines: readonly string[]): WatcherState {
  const text = lines.join('\n');
  const until = /The watcher is paused until (.+?)\.?$/m.exec(text);
  if (until) return { paused: true, until: until[1] };
  if (/The watcher is (not|no longer) paused/.test(text)) return { paused: false };
  throw new Error(`no watcher state in ${JSON.stringify(text.slice(0, 200))}`);
}

export function watcherPause(seconds: number): RemoteCommand<WatcherState> {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 7 * 24 * 3600) {
    throw new Error(`watcher pause must be 1..604800 whole seconds, got ${seconds}`);
  }
  return { argv: ['gnt-cluster', 'watcher', 'pause', String(seconds)], timeoutMs: 60_000, parse: (r) => parseWatcherState(outputLines(r)) };
}

export function watcherContinue(): RemoteCommand<WatcherState> {
  return { argv: ['gnt-cluster', 'watcher', 'continue'], timeoutMs: 60_000, parse: (r) => parseWatcherState(outputLines(r)) };
}

export function watcherInfo(): RemoteCommand<WatcherState> {
  return { argv: ['gnt-cluster', 'watcher', 'info'], timeoutMs: 60_000, parse: (r) => parseWatcherState(outputLines(r)) };
}
