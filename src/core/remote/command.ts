/**
 * A remote command as data plus a parser (the vscode-containers CommandRunner idea): building the
 * argv and understanding the output are pure and unit-tested; running is the runner's job.
 */
import { Writable } from 'node:stream';
import { ExecResult } from './host-connection';
import { Arg } from './secret';

export interface RemoteCommand<T> {
  readonly argv: readonly Arg[];
  readonly stdin?: string | Buffer;
  /** Default run-time limit for this command (callers may override). */
  readonly timeoutMs?: number;
  /** Exit codes that are not failures (default: only 0). */
  readonly okExitCodes?: readonly number[];
  /** Stream stdout to this sink instead of buffering it (parse then sees an empty stdout). */
  readonly stdoutTo?: Writable;
  /** Output may hold secrets (config.data, keys): never quote it in errors. */
  readonly secretOutput?: boolean;
  /** Turns the finished command's output into a typed result; throws on output it does not understand. */
  parse(result: ExecResult): T;
}

/** stdout as text lines without the trailing empty line. */
export function outputLines(result: ExecResult): string[] {
  const text = result.stdout.toString('utf8').replace(/\r\n/g, '\n');
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** For commands whose only result is "it worked". */
export function ignoreOutput(): void {
  return undefined;
}
