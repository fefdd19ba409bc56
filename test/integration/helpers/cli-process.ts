/**
 * The real CLI (`node dist/cli.js`, built by `npm run build`) in a child process, for the crash
 * and cancel tests: it can be sent a signal (SIGKILL: a crash; SIGINT: the operator's Ctrl-C) the
 * moment its stderr (the event log) contains a given text, i.e. with the work that text announces
 * in flight.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Whether `killOn` was seen (or returned true) and the signal sent. */
  killed: boolean;
}

/** How often a `killOn` predicate is asked. */
const POLL_MS = 20;

type KillOn = string | (() => boolean | Promise<boolean>);

/**
 * Runs the CLI; with `killOn`, sends it `signal` as soon as that text appears on its stderr, or
 * as soon as the predicate (asked every POLL_MS, one question at a time) returns true.
 */
export function runCli(args: string[], killOn?: KillOn, signal: NodeJS.Signals = 'SIGKILL'): Promise<CliResult> {
  return startCli(args, killOn, signal);
}

/** Like runCli, and `seen` resolves once `text` appears on stderr (without a signal: the CLI runs on). */
export function watchCli(args: string[], text: string): { seen: Promise<void>; done: Promise<CliResult> } {
  let onSeen!: () => void;
  const seen = new Promise<void>((resolve) => { onSeen = resolve; });
  const done = startCli(args, undefined, undefined, (stderr) => { if (stderr.includes(text)) onSeen(); });
  return { seen, done };
}

function startCli(args: string[], killOn?: KillOn, signal: NodeJS.Signals = 'SIGKILL', watch?: (stderr: string) => void): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.SSH_AUTH_SOCK; // the lab's key comes from its ssh_config, never an agent
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      watch?.(stderr);
      if (typeof killOn === 'string' && !killed && stderr.includes(killOn)) {
        killed = true;
        child.kill(signal);
      }
    });
    let asking = false;
    const poll = typeof killOn === 'function' ? setInterval(() => {
      if (killed || asking) return;
      asking = true;
      void Promise.resolve(killOn()).then((now) => {
        if (now && !killed) {
          killed = true;
          child.kill(signal);
        }
      }, () => undefined).finally(() => (asking = false));
    }, POLL_MS) : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, stdout, stderr, killed });
    });
  });
}

/**
 * After a SIGKILL the journal's local lock names a process that is gone: the next command takes it
 * over and says so on stderr, naming the dead holder (never silently, never refused).
 */
export function assertTookOverJournalLock(r: CliResult, journal: string): void {
  if (!/journal lock: taken over from process \d+ on .* \(gone\)/.test(r.stderr) || !r.stderr.includes(journal)) {
    throw new Error(`expected the dead holder's journal lock to be taken over with a message: ${cliTail(r)}`);
  }
}

/** Exit status and the last lines of stderr, for assertion messages. */
export const cliTail = (r: CliResult) => `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n${r.stderr.split('\n').slice(-25).join('\n')}`;
