/**
 * Commands on a node's own files that the merge and `forget` need: moving the 3.x cluster identity
 * files aside and back (and deleting them once forgotten), a snapshot of the node's ssh identity
 * (host keys and root's ~/.ssh), which `gnt-node add --readd` replaces with the target cluster's,
 * and deleting snapshot tars.
 */
import { outputLines, RemoteCommand } from '../command';
import { assertSafeId } from './remote-path';
import { DEFAULT_SNAPSHOT_LOCATION } from './snapshot';

/** Ganeti 3.x refuses to re-add a node that still names another cluster or holds its certificate. */
export const IDENTITY_FILES = ['/var/lib/ganeti/ssconf_cluster_name', '/var/lib/ganeti/server.pem'];
/** What an identity file moved aside is called: `<file>.premerge`. */
export const PREMERGE_SUFFIX = '.premerge';

function expectLine(word: string) {
  return (r: Parameters<RemoteCommand<void>['parse']>[0]) => {
    if (!outputLines(r).includes(word)) throw new Error(`the script did not confirm "${word}"`);
  };
}

/** Idempotent: a file already moved aside stays aside. */
export function moveIdentityAside(): RemoteCommand<void> {
  const script = 'set -eu\nfor f in "$@"; do if [ -e "$f" ] && [ ! -e "$f' + PREMERGE_SUFFIX + '" ]; then mv -f -- "$f" "$f' + PREMERGE_SUFFIX + '"; fi; done\necho moved';
  return { argv: ['sh', '-c', script, 'ganeti-merge-aside', ...IDENTITY_FILES], timeoutMs: 60_000, parse: expectLine('moved') };
}

/** Idempotent: only files that are still aside are moved back. */
export function moveIdentityBack(): RemoteCommand<void> {
  const script = 'set -eu\nfor f in "$@"; do if [ -e "$f' + PREMERGE_SUFFIX + '" ]; then mv -f -- "$f' + PREMERGE_SUFFIX + '" "$f"; fi; done\necho restored';
  return { argv: ['sh', '-c', script, 'ganeti-merge-back', ...IDENTITY_FILES], timeoutMs: 60_000, parse: expectLine('restored') };
}

const SSH_PATHS = 'etc/ssh/ssh_host_* root/.ssh';

function sshTar(id: string): string {
  return `${DEFAULT_SNAPSHOT_LOCATION.snapshotDir}/${assertSafeId(id, 'snapshot id')}.tar`;
}

export function createSshSnapshot(id: string): RemoteCommand<void> {
  const script = `set -eu
tar=$1; mkdir -p -- "$(dirname -- "$tar")"; chmod 700 -- "$(dirname -- "$tar")"
cd /; if [ -d root/.ssh ]; then tar -cpf "$tar.tmp" ${SSH_PATHS}; else tar -cpf "$tar.tmp" etc/ssh/ssh_host_*; fi
sync -- "$tar.tmp"; mv -f -- "$tar.tmp" "$tar"; echo saved`;
  return { argv: ['sh', '-c', script, 'ganeti-merge-ssh-snapshot', sshTar(id)], timeoutMs: 120_000, parse: expectLine('saved') };
}

/** Puts host keys and root's ~/.ssh back as they were (files added since are removed from ~/.ssh). */
export function restoreSshSnapshot(id: string): RemoteCommand<void> {
  const script = `set -eu
tar=$1; [ -f "$tar" ] || { echo "no ssh snapshot $tar" >&2; exit 3; }
if tar -tf "$tar" | grep -v -e '^etc/ssh/ssh_host_' -e '^root/.ssh' >/dev/null; then echo "unexpected entries in $tar" >&2; exit 3; fi
if tar -tf "$tar" | grep -q '^root/.ssh'; then find /root/.ssh -mindepth 1 -delete 2>/dev/null || true; fi
cd /; tar -xpf "$tar"; echo restored`;
  return { argv: ['sh', '-c', script, 'ganeti-merge-ssh-restore', sshTar(id)], timeoutMs: 120_000, parse: expectLine('restored') };
}

/** sha256 of a Ganeti snapshot tar on the node, or undefined when it is missing. */
export function ganetiSnapshotSha256(id: string): RemoteCommand<string | undefined> {
  const tar = `${DEFAULT_SNAPSHOT_LOCATION.snapshotDir}/${assertSafeId(id, 'snapshot id')}.tar`;
  const script = 'if [ -f "$1" ]; then sha256sum < "$1" | cut -d" " -f1; else echo missing; fi';
  return {
    argv: ['sh', '-c', script, 'ganeti-merge-sha', tar], timeoutMs: 120_000,
    parse: (r) => {
      const line = outputLines(r)[0]?.trim();
      if (line === 'missing') return undefined;
      if (!line || !/^[0-9a-f]{64}$/.test(line)) throw new Error(`expected a sha256, got ${JSON.stringify(line)}`);
      return line;
    },
  };
}

/**
 * The node's public ssh host keys, one `type base64 [comment]` line each (public, not secret).
 * None is an error, not an empty list: the re-added nodes are trusted with exactly these keys
 * afterwards, and an empty list would leave rollback and resume unable to reach them.
 */
export function hostPublicKeys(): RemoteCommand<string[]> {
  return {
    argv: ['sh', '-c', 'cat /etc/ssh/ssh_host_*_key.pub'],
    timeoutMs: 60_000,
    parse: (result) => {
      const keys = outputLines(result).filter((line) => /^(ssh|ecdsa)-\S+ [A-Za-z0-9+/=]+/.test(line));
      if (keys.length === 0) throw new Error('no "type base64" public host key line in /etc/ssh/ssh_host_*_key.pub');
      return keys;
    },
  };
}

/** Deletes the named tars and, when empty, the snapshot directories; a missing tar is fine. */
export function deleteSnapshotTars(tars: string[]): RemoteCommand<void> {
  const dir = DEFAULT_SNAPSHOT_LOCATION.snapshotDir;
  const script = `set -eu
dir=$1; shift
rm -f -- "$@"
rmdir -- "$dir" 2>/dev/null && rmdir -- "$(dirname -- "$dir")" 2>/dev/null || true
echo deleted`;
  return { argv: ['sh', '-c', script, 'ganeti-merge-forget', dir, ...tars], timeoutMs: 60_000, parse: () => undefined };
}

/** Deletes the identity files moved aside (once the merge is forgotten). */
export function deleteIdentityAside(): RemoteCommand<void> {
  return { argv: ['rm', '-f', '--', ...IDENTITY_FILES.map((f) => `${f}${PREMERGE_SUFFIX}`)], timeoutMs: 60_000, parse: () => undefined };
}
