/**
 * The one place that opens an ssh pool and its command runner, for the editor (tree, diff, merge)
 * and the CLI alike, so every per-command option (the timeout above all) reaches every command.
 */
import { SshCommandRunner, type CommandRunner } from '../remote/runner';
import { SshPool, type SshPoolOptions } from '../remote/transport';
import type { Transcript } from '../remote/transcript';
import { DEFAULT_COMMAND_TIMEOUT_MS } from '../remote/host-connection';

/** Default and range of `ganetiMerge.commandTimeoutSeconds` and of the CLI's `--command-timeout`. */
export const COMMAND_TIMEOUT_SECONDS = { default: DEFAULT_COMMAND_TIMEOUT_MS / 1000, min: 1, max: 86_400 } as const;

export interface SshSessionOptions extends SshPoolOptions {
  /** Upper bound for each remote command (a command's own, shorter timeout still applies). */
  readonly commandTimeoutSeconds?: number;
}

export interface SshSession {
  readonly runner: CommandRunner;
  readonly transcript: Transcript;
  /** Closes every connection (commands in flight are ended). */
  close(): Promise<void>;
}

export function openSshSession(options: SshSessionOptions): SshSession {
  const { commandTimeoutSeconds = COMMAND_TIMEOUT_SECONDS.default, ...poolOptions } = options;
  const pool = new SshPool(poolOptions);
  return {
    runner: new SshCommandRunner(pool, { maxTimeoutMs: commandTimeoutSeconds * 1000 }),
    transcript: pool.transcript,
    close: () => pool.close(),
  };
}
