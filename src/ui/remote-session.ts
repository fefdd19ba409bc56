/**
 * The ssh session the UI shares for the tree's read-only commands, opened by the core from the
 * settings (one per-command timeout for every command). When the ssh-related settings change, the
 * old session is closed and the next use opens a new one.
 */
import * as vscode from 'vscode';
import { RemoteError, type RemoteCommand } from '../core/remote';
import type { Prompter } from '../core/operator/prompter';
import { openSshSession, type SshSession, type SshSessionOptions } from '../core/session/ssh-session';
import { Disposable } from './disposable';
import type { GanetiMergeSettings } from './settings';
import type { TranscriptLog } from './transcript-log';

/** The ssh options of every session the editor opens (tree, preview, merge), from the settings. */
export function sshSessionOptions(s: GanetiMergeSettings, prompter: Prompter): SshSessionOptions {
  return {
    prompter,
    sshConfigPath: s.sshConfigFile,
    knownHostsPath: s.knownHostsFile,
    identityFile: s.identityFile,
    commandTimeoutSeconds: s.commandTimeoutSeconds,
  };
}

/** Read-only commands the UI runs to show clusters (the phase engine runs everything else). */
export interface ClusterCommands {
  run<T>(host: string, command: RemoteCommand<T>, signal?: AbortSignal): Promise<T>;
}

export class RemoteSession extends Disposable implements ClusterCommands {
  private session: SshSession | undefined;

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
    const options = { signal };
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
    const session = this.session;
    this.session = undefined;
    await session?.close();
  }

  private ensureRunner(): SshSession['runner'] {
    if (!this.session) {
      this.session = openSshSession(sshSessionOptions(this.settings(), this.prompter));
      this.session.transcript.onEvent((event) => this.log.command(event));
    }
    return this.session.runner;
  }
}
