/**
 * Snapshots of a node's /var/lib/ganeti: a tar kept on the node (so a rollback does not depend on
 * the operator's machine) and streamed back as a local copy. The tar holds secrets (server.pem,
 * config.data): its content only ever flows through stdin/stdout, never argv or transcripts.
 */
import { Writable } from 'node:stream';
import { RemoteCommand, outputLines } from '../command';
import { assertRemotePath, assertSafeId } from './remote-path';

export interface SnapshotLocation {
  /** The directory snapshotted (default /var/lib/ganeti). */
  readonly ganetiDir: string;
  /** Where tars are kept on the node (default /var/lib/ganeti-merge/snapshots). */
  readonly snapshotDir: string;
}

export const DEFAULT_SNAPSHOT_LOCATION: SnapshotLocation = {
  ganetiDir: '/var/lib/ganeti',
  snapshotDir: '/var/lib/ganeti-merge/snapshots',
};

export interface SnapshotInfo {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

function checked(location: SnapshotLocation, id: string) {
  const ganetiDir = assertRemotePath(location.ganetiDir, 'ganeti directory');
  const snapshotDir = assertRemotePath(location.snapshotDir, 'snapshot directory');
  if (ganetiDir === '/') throw new Error('refusing to snapshot or restore /');
  return { ganetiDir, snapshotDir, tar: `${snapshotDir}/${assertSafeId(id, 'snapshot id')}.tar` };
}

const CREATE = `set -eu
src=$1; dir=$2; tar=$3
mkdir -p -- "$dir"; chmod 700 -- "$dir"
tar -C "$(dirname -- "$src")" -cpf "$tar.tmp" -- "$(basename -- "$src")"
sync -- "$tar.tmp"
mv -f -- "$tar.tmp" "$tar"
printf '%s %s\\n' "$(wc -c < "$tar")" "$(sha256sum < "$tar" | cut -d' ' -f1)"`;

export function parseSnapshotInfo(path: string, lines: readonly string[]): SnapshotInfo {
  const m = /^(\d+) ([0-9a-f]{64})$/.exec(lines[lines.length - 1]?.trim() ?? '');
  if (!m) throw new Error(`expected "<bytes> <sha256>", got ${JSON.stringify(lines.slice(-2))}`);
  return { path, bytes: Number(m[1]), sha256: m[2] };
}

export function createSnapshot(id: string, location = DEFAULT_SNAPSHOT_LOCATION): RemoteCommand<SnapshotInfo> {
  const { ganetiDir, snapshotDir, tar } = checked(location, id);
  return {
    argv: ['sh', '-c', CREATE, 'ganeti-merge-snapshot', ganetiDir, snapshotDir, tar],
    timeoutMs: 10 * 60_000,
    parse: (r) => parseSnapshotInfo(tar, outputLines(r)),
  };
}

/** Streams the node's snapshot tar into `sink` (a local file). */
export function fetchSnapshot(id: string, sink: Writable, location = DEFAULT_SNAPSHOT_LOCATION): RemoteCommand<void> {
  const { tar } = checked(location, id);
  return { argv: ['cat', '--', tar], stdoutTo: sink, secretOutput: true, timeoutMs: 10 * 60_000, parse: () => undefined };
}

/**
 * Restores the directory from the tar on the node, or first uploads `localCopy` when the node's tar
 * is gone. The tar is checked (readable, only entries under the directory) before anything is deleted.
 */
const RESTORE = `set -eu
src=$1; dir=$2; tar=$3; upload=$4
if [ "$upload" = yes ]; then mkdir -p -- "$dir"; chmod 700 -- "$dir"; cat > "$tar.tmp"; mv -f -- "$tar.tmp" "$tar"; fi
name=$(basename -- "$src")
if tar -tf "$tar" | grep -v -e "^$name/" -e "^$name\\$" >/dev/null; then echo "snapshot holds entries outside $name" >&2; exit 3; fi
mkdir -p -- "$src"
find "$src" -mindepth 1 -delete
tar -C "$(dirname -- "$src")" -xpf "$tar"
echo restored`;

export function restoreSnapshot(id: string, options: { localCopy?: Buffer; location?: SnapshotLocation } = {}): RemoteCommand<void> {
  const { ganetiDir, snapshotDir, tar } = checked(options.location ?? DEFAULT_SNAPSHOT_LOCATION, id);
  return {
    argv: ['sh', '-c', RESTORE, 'ganeti-merge-restore', ganetiDir, snapshotDir, tar, options.localCopy ? 'yes' : 'no'],
    stdin: options.localCopy,
    timeoutMs: 10 * 60_000,
    parse: (r) => {
      if (!outputLines(r).includes('restored')) throw new Error('the restore script did not confirm the restore');
    },
  };
}

export function deleteSnapshot(id: string, location = DEFAULT_SNAPSHOT_LOCATION): RemoteCommand<void> {
  const { tar } = checked(location, id);
  return { argv: ['rm', '-f', '--', tar], timeoutMs: 60_000, parse: () => undefined };
}
