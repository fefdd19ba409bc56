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

export interface ExecRequest {
  readonly argv: readonly Arg[];
  /** Sent to the command's stdin, then EOF. Only its size is ever recorded. */
  readonly stdin?: string | Buffer;
  /** Run time limit once a channel is open (the wait for a free channel is bounded by `signal`). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Stream stdout here instead of buffering it (large files, snapshots). */
  readonly stdoutTo?: Writable;
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
/** How long to wait for the server to confirm a channel close before freeing its slot anyway. */
const CLOSE_GRACE_MS = 5_000;

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
      this.closedFlag = true;
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
      const command = shellQuote(request.argv); // throws on bad argv before anything is sent
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

  private openChannel(command: string): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      if (this.closedFlag) {
        reject(new RemoteError('connect', this.host, 'connection is closed'));
        return;
      }
      this.client.exec(command, (err, channel) => {
        if (err) reject(new RemoteError('connect', this.host, `cannot open a command channel: ${describeCause(err)}`, { cause: err }));
        else resolve(channel);
      });
    });
  }

  private async runOnChannel(
    command: string,
    request: ExecRequest,
    release: () => void,
    report: (o: { code: number | null; signal?: string; stdoutBytes: number; stderrBytes: number }) => void,
  ): Promise<ExecResult> {
    const started = Date.now();
    let channel: ClientChannel;
    try {
      channel = await this.openChannel(command);
    } catch (err) {
      release();
      throw err;
    }
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
        // Kill the remote process (sshd delivers the signal to the session's process) and close.
        try {
          channel.signal('KILL');
        } catch {
          // channel already gone
        }
        channel.close();
        graceTimer = setTimeout(freeSlot, CLOSE_GRACE_MS);
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
      });
      channel.stderr.on('data', (chunk: Buffer) => {
        stderrBytes += chunk.length;
        stderr.push(chunk);
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
      if (request.stdin !== undefined) channel.end(request.stdin);
      else channel.end();
    });
  }
}
