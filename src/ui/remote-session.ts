/**
 * The ssh pool and command runner the UI shares, built from the settings. When the ssh-related
 * settings change, the old pool is closed and the next use opens a new one.
 */
import * as vscode from 'vscode';
import { RemoteError, SshCommandRunner, SshPool, type CommandRunner, type Prompter, type RemoteCommand } from '../core/remote';
import { Disposable } from './disposable';
import type { GanetiMergeSettings } from './settings';
import type { TranscriptLog } from './transcript-log';

/** Read-only commands the UI runs to show clusters (the phase engine runs everything else). */
export interface ClusterCommands {
  run<T>(host: string, command: RemoteCommand<T>, signal?: AbortSignal): Promise<T>;
}

export class RemoteSession extends Disposable implements ClusterCommands {
  private pool: SshPool | undefined;
  private runner: CommandRunner | undefined;

  constructor(
    private readonly settings: () => GanetiMergeSettings,
    private readonly prompter: Prompter,
    private readonly log: TranscriptLog,
  ) {
    super();
    this._register(new vscode.Disposable(() => void this.reset()));
  }

  /**
   * Runs a read-only command. A lost or failed connection is retried once over a new one (the pool
   * reconnects by itself): listing twice is harmless, and a dropped idle link should not show as an error.
   */
  async run<T>(host: string, command: RemoteCommand<T>, signal?: AbortSignal): Promise<T> {
    const timeoutMs = this.settings().commandTimeoutSeconds * 1000;
    const options = { timeoutMs: Math.min(timeoutMs, command.timeoutMs ?? timeoutMs), signal };
    try {
      return await this.ensureRunner().run(host, command, options);
    } catch (err) {
      if (!(err instanceof RemoteError) || err.kind !== 'connect' || signal?.aborted) throw err;
      this.log.info(vscode.l10n.t('{0}: retrying once over a new connection ({1})', host, err.message));
      return this.ensureRunner().run(host, command, options);
    }
  }

  /** Closes every connection; the next command reconnects with the current settings. */
  async reset(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    this.runner = undefined;
    await pool?.close();
  }

  private ensureRunner(): CommandRunner {
    if (!this.runner) {
      const s = this.settings();
      const pool = new SshPool({
        prompter: this.prompter,
        sshConfigPath: s.sshConfigFile,
        knownHostsPath: s.knownHostsFile,
        identityFile: s.identityFile,
      });
      pool.transcript.onEvent((event) => this.log.command(event));
      this.pool = pool;
      this.runner = new SshCommandRunner(pool);
    }
    return this.runner;
  }
}
