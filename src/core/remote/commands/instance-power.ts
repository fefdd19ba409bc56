/** `gnt-instance shutdown|startup`: all instances or the named ones, never asking interactively. */
import { ignoreOutput, RemoteCommand } from '../command';
import { assertDnsName } from '../names';

export type InstanceSelection = { readonly all: true } | { readonly names: readonly string[] };

function selectionArgs(selection: InstanceSelection): string[] {
  if ('all' in selection) return ['--all'];
  if (selection.names.length === 0) throw new Error('no instances named');
  return ['--', ...selection.names.map((n) => assertDnsName(n, 'instance name'))];
}

function power(action: 'shutdown' | 'startup', selection: InstanceSelection): RemoteCommand<void> {
  const options = ['--force-multiple'];
  return { argv: ['gnt-instance', action, ...options, ...selectionArgs(selection)], timeoutMs: 30 * 60_000, parse: ignoreOutput };
}

export function instanceShutdown(selection: InstanceSelection): RemoteCommand<void> {
  return power('shutdown', selection);
}

export function instanceStartup(selection: InstanceSelection): RemoteCommand<void> {
  return power('startup', selection);
}
