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

/**
 * Runs the CLI; with `killOn`, sends it `signal` as soon as that text appears on its stderr, or
 * as soon as the predicate (asked every POLL_MS, one question at a time) returns true.
 */
export function runCli(args: string[], killOn?: string | (() => boolean | Promise<boolean>), signal: NodeJS.Signals = 'SIGKILL'): Promise<CliResult> {
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

/** Exit status and the last lines of stderr, for assertion messages. */
export const cliTail = (r: CliResult) => `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n${r.stderr.split('\n').slice(-25).join('\n')}`;
