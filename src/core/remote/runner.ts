/**
 * Runs typed commands on hosts. The ssh implementation goes through SshPool; unit tests use a fake
 * runner that answers from canned output, so parsers are tested without a network.
 */
import { RemoteCommand } from './command';
import { RemoteError } from './errors';
import { ExecResult } from './host-connection';
import { redactArgv } from './secret';
import { SshPool } from './transport';

export interface RunOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Hold this remote lock file (shared) while the command runs: see run-lock.ts. */
  readonly runLock?: string;
}

export interface CommandRunner {
  run<T>(host: string, command: RemoteCommand<T>, options?: RunOptions): Promise<T>;
}

/** How much of a command's output or a parser's complaint an error message quotes. */
const MAX_DETAIL = 2000;

/** Last part of stderr for error messages: enough to see why, bounded in size. */
function stderrTail(result: ExecResult): string {
  const text = result.stderr.toString('utf8').trim() || result.stdout.toString('utf8').trim();
  const tail = text.length > MAX_DETAIL ? `...${text.slice(-MAX_DETAIL)}` : text;
  return tail ? `: ${tail}` : '';
}

/**
 * A parser's complaint, bounded: parsers quote the lines they do not understand, and a command
 * that printed megabytes on one line must not put them into the journal (which keeps the error).
 */
function parseDetail(err: unknown): string {
  const message = (err as Error)?.message ?? String(err);
  return message.length > MAX_DETAIL ? `${message.slice(0, MAX_DETAIL)}... (${message.length} characters)` : message;
}

/** Applies the command's exit-code policy and parser to a finished result. */
export function interpretResult<T>(host: string, command: RemoteCommand<T>, result: ExecResult): T {
  const ok = command.okExitCodes ?? [0];
  if (result.code === null || !ok.includes(result.code)) {
    const how = result.code === null ? `was killed by signal ${result.signal ?? '?'}` : `exited with code ${result.code}`;
    throw new RemoteError('exit', host, `${redactArgv(command.argv).join(' ')} ${how}${command.stdoutTo || command.secretOutput ? '' : stderrTail(result)}`, {
      exitCode: result.code ?? undefined,
    });
  }
  try {
    return command.parse(result);
  } catch (err) {
    throw new RemoteError('parse', host, `cannot understand the output of ${redactArgv(command.argv).join(' ')}: ${parseDetail(err)}`, { cause: err });
  }
}

/** The timeout a command runs with: its own (or the caller's), never above the session's bound. */
export function commandTimeoutMs(command: RemoteCommand<unknown>, options: RunOptions, maxTimeoutMs: number | undefined): number | undefined {
  const own = options.timeoutMs ?? command.timeoutMs;
  if (maxTimeoutMs === undefined) return own;
  return Math.min(own ?? maxTimeoutMs, maxTimeoutMs);
}

export interface SshCommandRunnerOptions {
  /** Upper bound for every command this runner runs (the operator's per-command timeout). */
  readonly maxTimeoutMs?: number;
}

export class SshCommandRunner implements CommandRunner {
  constructor(private readonly pool: SshPool, private readonly runnerOptions: SshCommandRunnerOptions = {}) {}

  async run<T>(host: string, command: RemoteCommand<T>, options: RunOptions = {}): Promise<T> {
    const result = await this.pool.exec(host, {
      argv: command.argv,
      stdin: command.stdin,
      stdoutTo: command.stdoutTo,
      timeoutMs: commandTimeoutMs(command, options, this.runnerOptions.maxTimeoutMs),
      signal: options.signal,
      runLock: options.runLock,
    });
    return interpretResult(host, command, result);
  }
}
