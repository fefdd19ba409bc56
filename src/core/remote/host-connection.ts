/**
 * One ssh connection to one host, shared by every command of a merge. Commands run on exec channels,
 * at most `maxChannels` at once (OpenSSH's MaxSessions defaults to 10). Every command has a timeout
 * and honours an AbortSignal; either one kills the remote process and closes its channel.
 */
import { Client, ClientChannel } from 'ssh2';
import { Writable } from 'node:stream';
import { describeCause, RemoteError } from './errors';
import { shellQuote } from './quote';
import { Arg, redactArgv } from './secret';
import { Semaphore } from './semaphore';
import { Transcript } from './transcript';
import { underRunLock } from './run-lock';

export interface ExecRequest {
  readonly argv: readonly Arg[];
  /** Sent to the command's stdin, then EOF. Only its size is ever recorded. */
  readonly stdin?: string | Buffer;
  /** Run time limit once a channel is open (the wait for a free channel is bounded by `signal`). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Stream stdout here instead of buffering it (large files, snapshots). */
  readonly stdoutTo?: Writable;
  /** Buffered stdout+stderr limit; a runaway command is killed instead of exhausting memory. */
  readonly maxOutputBytes?: number;
  /** Remote lock file the command holds (shared) while it runs (run-lock.ts); the transcript shows only argv. */
  readonly runLock?: string;
}

export interface ExecResult {
  /** Exit code; null when the process was killed by a signal. */
  readonly code: number | null;
  readonly signal?: string;
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly durationMs: number;
}

export const DEFAULT_MAX_CHANNELS = 8;
export const DEFAULT_COMMAND_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
/** How long to wait for the server to confirm a channel close before freeing its slot anyway. */
const CLOSE_GRACE_MS = 5_000;
/** Retries of a channel open refused at the server's session limit (about 25 s in all). */
const OPEN_RETRIES = 60;

/**
 * OpenSSH refuses "signal" channel requests for root logins (no post-auth privilege separation) and
 * closing a channel does not kill a process without a pty. So every command first reports its pid
 * (sshd starts it as a process-group leader) on stderr and then execs the argv; an abort or timeout
 * kills that whole process group through a second channel. The prefix is constant; the argv still
 * goes through shellQuote. Requires a POSIX login shell on the node (sh, bash, dash).
 */
const PID_MARKER = 'ganeti-merge-pid=';
const PID_PREFIX = `echo ${PID_MARKER}$$ >&2; exec `;
// (dash's kill builtin does not accept "--" before a negative process-group id)
const KILL_GROUP = 'kill -9 -"$1" 2>/dev/null || kill -9 "$1"';

export class HostConnection {
  private readonly channels: Semaphore;
  private closedFlag = false;

  constructor(
    /** The name commands are recorded under (the alias the user gave). */
    readonly host: string,
    private readonly client: Client,
    private readonly chain: readonly Client[],
    private readonly transcript: Transcript,
    maxChannels = DEFAULT_MAX_CHANNELS,
  ) {
    this.channels = new Semaphore(maxChannels);
    client.on('close', () => {
      // Also drop the jump hosts that only existed to carry this connection.
      this.close();
    });
    client.on('error', () => {
      // Reported to the commands that were running; the pool reconnects for the next one.
      this.closedFlag = true;
    });
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Peak number of exec channels open at once on this connection. */
  get maxConcurrentChannels(): number {
    return this.channels.maxActive;
  }

  close(): void {
    this.closedFlag = true;
    for (const c of [...this.chain].reverse()) c.end();
  }

  async exec(request: ExecRequest): Promise<ExecResult> {
    const started = Date.now();
    const stdinBytes = request.stdin === undefined ? 0 : Buffer.byteLength(request.stdin);
    let outcome: { code: number | null; signal?: string; stdoutBytes: number; stderrBytes: number; error?: string } = {
      code: null, stdoutBytes: 0, stderrBytes: 0,
    };
    try {
      const argv = request.runLock ? underRunLock(request.runLock, request.argv) : request.argv;
      const command = PID_PREFIX + shellQuote(argv); // throws on bad argv before anything is sent
      const release = await this.channels.acquire(request.signal).catch(() => {
        throw new RemoteError('aborted', this.host, `command aborted before it started: ${redactArgv(request.argv).join(' ')}`);
      });
      const result = await this.runOnChannel(command, request, release, (o) => (outcome = o));
      return result;
    } catch (err) {
      outcome = { ...outcome, error: err instanceof RemoteError ? err.kind : describeCause(err) };
      throw err;
    } finally {
      this.transcript.emit({
        host: this.host,
        argv: redactArgv(request.argv),
        exitCode: outcome.code,
        signal: outcome.signal,
        error: outcome.error,
        durationMs: Date.now() - started,
        stdoutBytes: outcome.stdoutBytes,
        stderrBytes: outcome.stderrBytes,
        stdinBytes,
        startedAt: new Date(started).toISOString(),
      });
    }
  }

  /** Kills the command's process group over a separate channel, then closes its channel. */
  private killAndClose(channel: ClientChannel, pid: number): void {
    if (pid <= 1 || this.closedFlag) {
      channel.close();
      return;
    }
    // Outside the channel limit on purpose: a kill must never wait behind the commands it stops
    // (8 channels leave 2 of OpenSSH's default 10 sessions free).
    const kill = shellQuote(['sh', '-c', KILL_GROUP, 'ganeti-merge-kill', String(pid)]);
    this.openExec(kill, () => true, (err, killChannel) => {
      if (err || !killChannel) {
        channel.close();
        return;
      }
      killChannel.on('close', () => channel.close());
      killChannel.resume();
      killChannel.stderr.resume();
      killChannel.end();
    });
  }

  /**
   * Opens an exec channel. sshd frees a session slot only once it has reaped the command, which can
   * lag behind the channel close we already saw, so an open refused at its limit is retried briefly.
   */
  private openExec(command: string, stillWanted: () => boolean, done: (err?: Error, channel?: ClientChannel) => void): void {
    const attempt = (n: number) => {
      if (this.closedFlag) return done(new Error('connection is closed'));
      this.client.exec(command, (err, channel) => {
        if (err && /Channel open failure/i.test(err.message) && n < OPEN_RETRIES && stillWanted()) {
          setTimeout(() => attempt(n + 1), Math.min(500, 20 * (n + 1)));
          return;
        }
        done(err ?? undefined, err ? undefined : channel);
      });
    };
    attempt(0);
  }

  private runOnChannel(
    command: string,
    request: ExecRequest,
    release: () => void,
    report: (o: { code: number | null; signal?: string; stdoutBytes: number; stderrBytes: number }) => void,
  ): Promise<ExecResult> {
    return new Promise<ExecResult>((resolve, reject) => {
      this.openExec(command, () => !request.signal?.aborted, (err, channel) => {
        if (err || !channel) {
          release();
          reject(new RemoteError('connect', this.host, `cannot open a command channel: ${describeCause(err)}`, { cause: err }));
          return;
        }
        // Listeners must be attached in this very callback: ssh2 may parse the command's output, exit
        // status and close from the same network read, right after it, before any promise continuation.
        this.watchChannel(channel, request, release, report).then(resolve, reject);
      });
    });
  }

  private watchChannel(
    channel: ClientChannel,
    request: ExecRequest,
    release: () => void,
    report: (o: { code: number | null; signal?: string; stdoutBytes: number; stderrBytes: number }) => void,
  ): Promise<ExecResult> {
    const started = Date.now();
    let graceTimer: NodeJS.Timeout | undefined;
    const freeSlot = () => {
      if (graceTimer) clearTimeout(graceTimer);
      release();
    };
    channel.once('close', freeSlot);

    return new Promise<ExecResult>((resolve, reject) => {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let stdoutBytes = 0;
      let stderrBytes = 0;
      let code: number | null = null;
      let exitSignal: string | undefined;
      let settled = false;
      let remotePid: number | undefined;
      let killWhenPidKnown = false;
      let stderrHead = Buffer.alloc(0); // until the pid line is seen
      const shown = redactArgv(request.argv).join(' ');
      const timeoutMs = request.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;

      const cleanup = () => {
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
      };
      const stop = (error: RemoteError) => {
        if (settled) return;
        settled = true;
        cleanup();
        report({ code: null, stdoutBytes, stderrBytes });
        if (remotePid !== undefined) this.killAndClose(channel, remotePid);
        else killWhenPidKnown = true; // the pid line is on its way; kill as soon as it arrives
        graceTimer = setTimeout(() => {
          channel.close();
          freeSlot();
        }, CLOSE_GRACE_MS);
        reject(error);
      };
      const onAbort = () => stop(new RemoteError('aborted', this.host, `command aborted: ${shown}`));
      const timer = setTimeout(
        () => stop(new RemoteError('timeout', this.host, `command timed out after ${timeoutMs} ms: ${shown}`)),
        timeoutMs,
      );
      if (request.signal?.aborted) {
        onAbort();
        return;
      }
      request.signal?.addEventListener('abort', onAbort, { once: true });

      channel.on('data', (chunk: Buffer) => {
        stdoutBytes += chunk.length;
        if (request.stdoutTo) request.stdoutTo.write(chunk);
        else stdout.push(chunk);
        checkOutputLimit();
      });
      const maxOutput = request.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
      const checkOutputLimit = () => {
        const buffered = (request.stdoutTo ? 0 : stdoutBytes) + stderrBytes;
        if (buffered > maxOutput) stop(new RemoteError('output', this.host, `output exceeded ${maxOutput} bytes, command stopped: ${shown}`));
      };
      const onStderr = (chunk: Buffer) => {
        stderrBytes += chunk.length;
        stderr.push(chunk);
        checkOutputLimit();
      };
      channel.stderr.on('data', (chunk: Buffer) => {
        if (remotePid !== undefined) return onStderr(chunk);
        stderrHead = Buffer.concat([stderrHead, chunk]);
        const newline = stderrHead.indexOf(10);
        if (newline < 0 && stderrHead.length < 64) return;
        const first = stderrHead.subarray(0, newline < 0 ? stderrHead.length : newline).toString('latin1');
        const m = new RegExp(`^${PID_MARKER}(\\d+)$`).exec(first);
        remotePid = m ? Number(m[1]) : 0;
        const rest = m ? stderrHead.subarray(newline + 1) : stderrHead;
        if (rest.length > 0) onStderr(rest);
        if (killWhenPidKnown) this.killAndClose(channel, remotePid);
      });
      channel.on('exit', (exitCode: number | null, signalName?: string) => {
        code = exitCode;
        exitSignal = signalName ?? undefined;
      });
      channel.on('close', () => {
        if (settled) return;
        settled = true;
        cleanup();
        report({ code, signal: exitSignal, stdoutBytes, stderrBytes });
        if (code === null && exitSignal === undefined) {
          reject(new RemoteError('connect', this.host, `connection lost while running: ${shown}`));
          return;
        }
        resolve({ code, signal: exitSignal, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), durationMs: Date.now() - started });
      });
      // Stream errors (e.g. stdin refused by a command that already exited) end in 'close', handled above.
      channel.on('error', () => undefined);
      if (request.stdin !== undefined) channel.end(request.stdin);
      else channel.end();
    });
  }
}
