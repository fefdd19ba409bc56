/**
 * What the merge commands share: ssh options (--ssh-config, --known-hosts, --identity, --user), a
 * terminal Prompter (never trusts an unknown host key; --yes approves the merge's questions), and
 * printing the engine's events as one line each.
 */
import * as readline from 'node:readline/promises';
import type { MergerEvent } from '../core/merger/types';
import type { HostKeyQuestion, Prompter } from '../core/remote/prompter';
import { SshCommandRunner } from '../core/remote/runner';
import { SshPool } from '../core/remote/transport';
import { READDED_NODES_KNOWN_HOSTS, WorkFiles } from '../core/merger/work-files';
import type { OptionSpec, ParsedArgs, CliIo } from './args';
import { UsageError } from './args';
import type { FileArg } from './paths';
import { oneLine, quoted } from '../core/safe-text';

export const SSH_OPTIONS: OptionSpec = {
  'ssh-config': { type: 'string' },
  'known-hosts': { type: 'string' },
  identity: { type: 'string' },
  user: { type: 'string' },
};

export const SSH_USAGE = `ssh options:
  --ssh-config FILE    ssh client configuration (default ~/.ssh/config)
  --known-hosts FILE   known host keys (default ~/.ssh/known_hosts); unknown keys are refused
  --identity FILE      private key to use in addition to the ssh agent
  --user USER          remote user when the ssh config names none (default root)`;

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

  async confirm(message: string, detail?: string): Promise<boolean> {
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

export interface CliSession {
  readonly pool: SshPool;
  readonly runner: SshCommandRunner;
  readonly prompter: Prompter;
  close(): Promise<void>;
}

export function openSession(values: ParsedArgs['values'], io: CliIo, yes: boolean, journal: string): CliSession {
  const str = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const identityFile = str('identity');
  const user = str('user');
  if (user !== undefined && !USER_NAME.test(user)) throw new UsageError(`--user must be a user name such as root, got ${quoted(user)}`, 'E_NAME_INVALID');
  const prompter = new TerminalPrompter(io, yes);
  const pool = new SshPool({
    prompter, sshConfigPath: str('ssh-config'), knownHostsPath: str('known-hosts'), defaultUser: user, identityFile,
    // keys the merge's re-adds gave mergee nodes (recorded by phase readd-nodes)
    alsoTrustedKnownHostsPaths: [WorkFiles.forJournal(journal).pathOf(READDED_NODES_KNOWN_HOSTS)],
  });
  return {
    pool, prompter, runner: new SshCommandRunner(pool),
    close: () => pool.close(),
  };
}

export function printEvent(io: CliIo, event: MergerEvent): void {
  const time = new Date().toISOString().slice(11, 19);
  switch (event.type) {
    case 'phase':
      io.stderr(`${time} [${event.phase.id}] ${event.phase.state}${event.phase.error ? `: ${oneLine(event.phase.error)}` : ''}\n`);
      break;
    case 'progress':
      io.stderr(`${time} [${event.phase}] ${oneLine(event.message)}${event.total ? ` (${event.done ?? 0}/${event.total})` : ''}\n`);
      break;
    case 'findings':
      for (const f of event.findings) io.stderr(`${time} ${f.severity} ${f.code}: ${oneLine(f.message)}\n`);
      break;
    case 'finished':
      io.stderr(`${time} ${event.outcome}${event.error ? `: ${oneLine(event.error)}` : ''}\n`);
      break;
    default:
      break;
  }
}
