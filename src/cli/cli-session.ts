/**
 * What the merge commands share: ssh options (--ssh-config, --known-hosts, --identity, --user), a
 * terminal Prompter (never trusts an unknown host key; --yes approves the merge's questions), and
 * printing the engine's events as one line each.
 */
import * as readline from 'node:readline/promises';
import { formatEvent } from '../core/merger/format-event';
import type { MergerEvent } from '../core/merger/types';
import type { HostKeyQuestion, Prompter } from '../core/operator/prompter';
import { englishConfirmation, type Confirmation } from '../core/operator/questions';
import { COMMAND_TIMEOUT_SECONDS, type SshSessionOptions } from '../core/session/ssh-session';
import type { OptionSpec, ParsedArgs, CliIo } from './args';
import { integerIn, UsageError } from './args';
import type { FileArg } from './paths';
import { oneLine, quoted } from '../core/safe-text';

export const SSH_OPTIONS: OptionSpec = {
  'ssh-config': { type: 'string' },
  'known-hosts': { type: 'string' },
  identity: { type: 'string' },
  user: { type: 'string' },
  'command-timeout': { type: 'string' },
};

export const SSH_USAGE = `ssh options:
  --ssh-config FILE    ssh client configuration (default ~/.ssh/config)
  --known-hosts FILE   known host keys (default ~/.ssh/known_hosts); unknown keys are refused
  --identity FILE      private key to use in addition to the ssh agent
  --user USER          remote user when the ssh config names none (default root)
  --command-timeout SECONDS  upper bound for each remote command (default ${COMMAND_TIMEOUT_SECONDS.default})`;

/** The files the ssh options name: inputs for checkPaths (each must be a readable regular file). */
export function sshInputs(values: ParsedArgs['values']): FileArg[] {
  const files: FileArg[] = [];
  for (const name of ['ssh-config', 'known-hosts', 'identity']) {
    const v = values[name];
    if (typeof v === 'string') files.push({ flag: `--${name}`, path: v });
  }
  return files;
}

/** A POSIX user name (useradd's rule): it becomes the ssh login of every connection. */
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

export class TerminalPrompter implements Prompter {
  constructor(private readonly io: CliIo, private readonly yes: boolean) {}

  async askHostKey(q: HostKeyQuestion): Promise<boolean> {
    this.io.stderr(`unknown host key for ${oneLine(q.alias)} (${oneLine(q.host)}:${q.port}) ${q.keyType} ${q.fingerprint}: refused; add it to the known hosts file first\n`);
    return false;
  }

  async askPassphrase(): Promise<string | undefined> {
    return undefined; // use an agent for encrypted keys
  }

  async confirm(question: Confirmation): Promise<boolean> {
    const { message, detail } = englishConfirmation(question);
    this.io.stderr(`${message}\n${detail ? `${detail}\n` : ''}`);
    if (this.yes) {
      this.io.stderr('approved by --yes\n');
      return true;
    }
    if (!process.stdin.isTTY) {
      this.io.stderr('not approved: no terminal to ask (use --yes)\n');
      return false;
    }
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
    try {
      return /^y(es)?$/i.test((await rl.question('Proceed? [y/N] ')).trim());
    } finally {
      rl.close();
    }
  }
}

/** The ssh part of a merge session from the command line's options (see openMergeSession / openSshSession). */
export function sshSessionOptions(values: ParsedArgs['values'], io: CliIo, yes: boolean): SshSessionOptions {
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const identityFile = str('identity');
  // the files themselves were checked by checkPaths (sshInputs) before anything else happened
  const user = str('user');
  if (user !== undefined && !USER_NAME.test(user)) throw new UsageError(`--user must be a user name such as root, got ${quoted(user)}`, 'E_NAME_INVALID');
  return {
    prompter: new TerminalPrompter(io, yes),
    sshConfigPath: str('ssh-config'), knownHostsPath: str('known-hosts'), defaultUser: user, identityFile,
    commandTimeoutSeconds: integerIn(values, 'command-timeout', COMMAND_TIMEOUT_SECONDS),
  };
}

/** One line per engine event on stderr, with the time (the text is formatEvent's, as in the editor). */
export function printEvent(io: CliIo, event: MergerEvent): void {
  const time = new Date().toISOString().slice(11, 19);
  // every event may carry remote or input text: formatEvent escapes each line (safe-text)
  for (const line of formatEvent(event)) io.stderr(`${time} ${line}\n`);
}

/**
 * --json: one JSON object per line on stdout for a pipeline: the event as the engine emits it
 * (a command's argv is already redacted), its time, and formatEvent's text of it.
 */
export function printJsonLine(io: CliIo, object: { type: string; [key: string]: unknown }): void {
  io.stdout(`${JSON.stringify({ time: new Date().toISOString(), ...object })}\n`);
}

export function printJsonEvent(io: CliIo, event: MergerEvent): void {
  printJsonLine(io, { ...event, text: formatEvent(event, (c) => `${c.host}: ${c.argv.join(' ')} -> ${c.exitCode ?? c.error ?? 'no exit code'}`) });
}
