/**
 * Reading a remote file and replacing one atomically (temp file in the same directory, mode, owner,
 * fsync, rename), content sent over stdin so it never appears in an argv or transcript.
 */
import { RemoteCommand, outputLines } from '../command';
import { assertRemotePath } from './remote-path';

export function readFile(filePath: string): RemoteCommand<Buffer> {
  return {
    argv: ['cat', '--', assertRemotePath(filePath)],
    timeoutMs: 5 * 60_000,
    secretOutput: true, // config.data, keys and certificates hold secrets
    parse: (r) => r.stdout,
  };
}

/** Replaces `target`; when `owner` is omitted the previous file's owner is kept. */
const WRITE_ATOMIC = `set -eu
target=$1; mode=$2; owner=$3
tmp=$(mktemp -- "$(dirname -- "$target")/.ganeti-merge.XXXXXXXX")
trap 'rm -f -- "$tmp"' EXIT
cat > "$tmp"
chmod "$mode" -- "$tmp"
if [ -n "$owner" ]; then chown -- "$owner" "$tmp"; elif [ -e "$target" ]; then chown --reference="$target" -- "$tmp"; fi
sync -- "$tmp"
mv -f -- "$tmp" "$target"
trap - EXIT
echo written`;

export interface WriteFileOptions {
  /** Octal mode, e.g. "0640". */
  readonly mode: string;
  /** "user" or "user:group"; omitted = same owner as the file being replaced. */
  readonly owner?: string;
}

export function writeFileAtomic(filePath: string, content: string | Buffer, options: WriteFileOptions): RemoteCommand<void> {
  assertRemotePath(filePath);
  if (!/^0?[0-7]{3}$/.test(options.mode)) throw new Error(`invalid file mode ${JSON.stringify(options.mode)} (expected e.g. 0640)`);
  const owner = options.owner ?? '';
  if (owner !== '' && !/^[a-z_][a-z0-9_-]*(:[a-z_][a-z0-9_-]*)?$/.test(owner)) {
    throw new Error(`invalid owner ${JSON.stringify(owner)} (expected user or user:group)`);
  }
  return {
    argv: ['sh', '-c', WRITE_ATOMIC, 'ganeti-merge-write', filePath, options.mode, owner],
    stdin: content,
    timeoutMs: 5 * 60_000,
    parse: (r) => {
      if (!outputLines(r).includes('written')) throw new Error('the write script did not confirm the write');
    },
  };
}
