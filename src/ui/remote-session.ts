/**
 * The ssh pool and command runner the UI shares, built from the settings. When the ssh-related
 * settings change, the old pool is closed and the next use opens a new one.
 */
import * as vscode from 'vscode';
import { SshCommandRunner, SshPool, type CommandRunner, type Prompter, type RemoteCommand } from '../core/remote';
import { Disposable } from './disposable';
import type { GanetiMergeSettings } from './settings';
import type { TranscriptLog } from './transcript-log';

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

  async run<T>(host: string, command: RemoteCommand<T>, signal?: AbortSignal): Promise<T> {
    const timeoutMs = this.settings().commandTimeoutSeconds * 1000;
    return this.ensureRunner().run(host, command, { timeoutMs: Math.min(timeoutMs, command.timeoutMs ?? timeoutMs), signal });
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
      });
      pool.transcript.onEvent((event) => this.log.command(event));
      this.pool = pool;
      this.runner = new SshCommandRunner(pool);
    }
    return this.runner;
  }
}
