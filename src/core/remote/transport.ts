/**
 * SshPool: one connection per host, opened on first use and reused by every command of a merge.
 * Host names are validated before they are looked up or dialled.
 */
import { promises as fs, constants as fsConstants } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openConnection } from './connect';
import { describeCause, RemoteError } from './errors';
import { ExecRequest, ExecResult, HostConnection, DEFAULT_MAX_CHANNELS } from './host-connection';
import { KnownHostsFile } from './known-hosts';
import { assertHostName } from './names';
import { Prompter } from '../operator/prompter';
import { resolveHost, ResolvedHost } from './ssh-config';
import { readSshConfigText } from './ssh-config-file';
import { Transcript } from './transcript';

export interface SshPoolOptions {
  readonly prompter: Prompter;
  readonly transcript?: Transcript;
  /** Defaults to ~/.ssh/known_hosts. */
  readonly knownHostsPath?: string;
  /** Read-only known_hosts files whose keys are accepted too (see KnownHostsFile). */
  readonly alsoTrustedKnownHostsPaths?: readonly string[];
  /** Record accepted keys hashed (like HashKnownHosts yes). */
  readonly hashKnownHosts?: boolean;
  /** Defaults to ~/.ssh/config; a missing file means no configuration. */
  readonly sshConfigPath?: string;
  /**
   * A private key tried first for every host and jump host, like `ssh -i FILE` (the ssh config's
   * IdentityFile entries and the agent are still used). It must be readable, else connecting fails.
   */
  readonly identityFile?: string;
  /** Defaults to $SSH_AUTH_SOCK; null disables the agent. */
  readonly agentSocket?: string | null;
  readonly homeDir?: string;
  /** User when the ssh config names none; Ganeti commands need root. */
  readonly defaultUser?: string;
  readonly maxChannelsPerHost?: number;
  readonly connectTimeoutMs?: number;
  readonly keepaliveIntervalMs?: number;
  readonly keepaliveCountMax?: number;
}

/** An operator-named key that cannot be read is an error, not a key silently skipped. */
async function assertReadable(file: string, host: string): Promise<void> {
  try {
    await fs.access(file, fsConstants.R_OK);
  } catch (err) {
    throw new RemoteError('auth', host, `identity file ${file} cannot be read: ${describeCause(err)}`, { cause: err });
  }
}

export class SshPool {
  readonly transcript: Transcript;
  private readonly connections = new Map<string, Promise<HostConnection>>();
  private readonly homeDir: string;
  private readonly knownHosts: KnownHostsFile;
  private opened = 0;
  private readonly openedByHost = new Map<string, number>();
  /** Aborted by close(): cancels connection attempts still in progress. */
  private lifetime = new AbortController();

  constructor(private readonly options: SshPoolOptions) {
    this.homeDir = options.homeDir ?? os.homedir();
    this.transcript = options.transcript ?? new Transcript();
    this.knownHosts = new KnownHostsFile(
      options.knownHostsPath ?? path.join(this.homeDir, '.ssh', 'known_hosts'),
      options.hashKnownHosts ?? false,
      options.alsoTrustedKnownHostsPaths ?? [],
    );
  }

  /** Number of ssh connections opened so far (a test proves commands share one). */
  get connectionsOpened(): number {
    return this.opened;
  }

  /** Connections opened so far per host name (as given to exec), e.g. for the lab benchmark. */
  connectionsByHost(): ReadonlyMap<string, number> {
    return new Map(this.openedByHost);
  }

  async resolve(host: string): Promise<ResolvedHost> {
    assertHostName(host);
    const configText = await readSshConfigText(this.options.sshConfigPath ?? path.join(this.homeDir, '.ssh', 'config'), this.homeDir);
    return resolveHost(host, {
      configText,
      homeDir: this.homeDir,
      localUser: os.userInfo().username,
      defaultUser: this.options.defaultUser ?? 'root',
    });
  }

  /** The shared connection to a host, opening (or re-opening after a loss) when needed. */
  async connection(host: string): Promise<HostConnection> {
    assertHostName(host);
    const existing = this.connections.get(host);
    if (existing) {
      const conn = await existing.catch(() => undefined);
      if (conn && !conn.closed) return conn;
      if (this.connections.get(host) === existing) this.connections.delete(host);
      else return this.connection(host);
    }
    const pending = this.open(host);
    this.connections.set(host, pending);
    pending.catch(() => {
      if (this.connections.get(host) === pending) this.connections.delete(host);
    });
    return pending;
  }

  /** Runs a command; the AbortSignal also ends the wait for the connection to be established. */
  async exec(host: string, request: ExecRequest): Promise<ExecResult> {
    const connecting = this.connection(host);
    const signal = request.signal;
    if (!signal) return (await connecting).exec(request);
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new RemoteError('aborted', host, 'aborted while connecting'));
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    connecting.catch(() => undefined); // its failure is reported by the race below or by the next caller
    try {
      return (await Promise.race([connecting, aborted])).exec(request);
    } finally {
      signal.removeEventListener('abort', onAbort!);
    }
  }

  /** Closes every connection (and its jump hosts). */
  async close(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    this.lifetime.abort();
    this.lifetime = new AbortController();
    for (const c of await Promise.allSettled(all)) if (c.status === 'fulfilled') c.value.close();
  }

  private async open(host: string): Promise<HostConnection> {
    const resolved = await this.resolve(host);
    const identity = this.options.identityFile;
    if (identity !== undefined) await assertReadable(identity, host);
    const agent = this.options.agentSocket === null ? undefined : this.options.agentSocket ?? process.env.SSH_AUTH_SOCK;
    const { client, chain } = await openConnection(resolved, {
      knownHosts: this.knownHosts,
      prompter: this.options.prompter,
      agentSocket: agent || undefined,
      homeDir: this.homeDir,
      extraIdentityFiles: identity === undefined ? [] : [path.resolve(identity)],
      connectTimeoutMs: this.options.connectTimeoutMs ?? 20_000,
      keepaliveIntervalMs: this.options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: this.options.keepaliveCountMax ?? 4,
      signal: this.lifetime.signal,
    });
    this.opened++;
    this.openedByHost.set(host, (this.openedByHost.get(host) ?? 0) + 1);
    return new HostConnection(host, client, chain, this.transcript, this.options.maxChannelsPerHost ?? DEFAULT_MAX_CHANNELS);
  }
}
