/**
 * Adding and removing ONE exact authorized_keys line. Adding reports whether the line was new, so
 * the undo removes only what the merge added and never a key the operator had put there.
 */
import { RemoteCommand, outputLines } from '../command';
import { assertRemotePath } from './remote-path';

export const ROOT_AUTHORIZED_KEYS = '/root/.ssh/authorized_keys';

const ADD = `set -eu
f=$1; line=$2
d=$(dirname -- "$f")
[ -d "$d" ] || { mkdir -p -- "$d"; chmod 700 -- "$d"; }
if [ -f "$f" ] && grep -qxF -- "$line" "$f"; then echo present; exit 0; fi
[ -e "$f" ] || { : > "$f"; chmod 600 -- "$f"; }
if [ -s "$f" ] && [ -n "$(tail -c 1 -- "$f")" ]; then printf '\\n' >> "$f"; fi
printf '%s\\n' "$line" >> "$f"
echo added`;

const REMOVE = `set -eu
f=$1; line=$2
if [ ! -f "$f" ] || ! grep -qxF -- "$line" "$f"; then echo absent; exit 0; fi
tmp=$(mktemp -- "$f.ganeti-merge.XXXXXXXX")
trap 'rm -f -- "$tmp"' EXIT
grep -vxF -- "$line" "$f" > "$tmp" || [ $? -eq 1 ]
chmod --reference="$f" -- "$tmp"
chown --reference="$f" -- "$tmp"
mv -f -- "$tmp" "$f"
trap - EXIT
echo removed`;

/** One public key line: "[options] type base64 [comment]" with no line breaks. */
export function assertAuthorizedKeyLine(line: string): string {
  if (typeof line !== 'string' || /[\0\r\n]/.test(line) || !/(^|\s)(ssh-[a-z0-9-]+|ecdsa-sha2-[a-z0-9-]+|sk-[a-z0-9@.-]+) [A-Za-z0-9+/]+={0,3}(\s|$)/.test(line)) {
    throw new Error('invalid authorized_keys line: expected one "type base64 [comment]" public key line');
  }
  return line.trim();
}

function parseOutcome<T extends string>(expected: readonly T[]) {
  return (lines: readonly string[]): T => {
    const last = lines[lines.length - 1]?.trim();
    if (!expected.includes(last as T)) throw new Error(`unexpected output ${JSON.stringify(lines.slice(-3))}`);
    return last as T;
  };
}

export function addAuthorizedKey(line: string, file = ROOT_AUTHORIZED_KEYS): RemoteCommand<{ added: boolean }> {
  const key = assertAuthorizedKeyLine(line);
  const outcome = parseOutcome(['added', 'present'] as const);
  return {
    argv: ['sh', '-c', ADD, 'ganeti-merge-authkey', assertRemotePath(file), key],
    timeoutMs: 60_000,
    parse: (r) => ({ added: outcome(outputLines(r)) === 'added' }),
  };
}

export function removeAuthorizedKey(line: string, file = ROOT_AUTHORIZED_KEYS): RemoteCommand<{ removed: boolean }> {
  const key = assertAuthorizedKeyLine(line);
  const outcome = parseOutcome(['removed', 'absent'] as const);
  return {
    argv: ['sh', '-c', REMOVE, 'ganeti-merge-authkey', assertRemotePath(file), key],
    timeoutMs: 60_000,
    parse: (r) => ({ removed: outcome(outputLines(r)) === 'removed' }),
  };
}
