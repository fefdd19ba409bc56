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
  /** Whether `killOn` was seen and the signal sent. */
  killed: boolean;
}

/** Runs the CLI; with `killOn`, sends it `signal` as soon as that text appears on its stderr. */
export function runCli(args: string[], killOn?: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<CliResult> {
  return startCli(args, killOn, signal).done;
}

/** Like runCli, and `seen` resolves once `text` appears on stderr (without a signal: the CLI runs on). */
export function watchCli(args: string[], text: string): { seen: Promise<void>; done: Promise<CliResult> } {
  let onSeen!: () => void;
  const seen = new Promise<void>((resolve) => { onSeen = resolve; });
  const run = startCli(args, undefined, undefined, (stderr) => { if (stderr.includes(text)) onSeen(); });
  return { seen, done: run.done };
}

function startCli(args: string[], killOn?: string, signal: NodeJS.Signals = 'SIGKILL', watch?: (stderr: string) => void): { done: Promise<CliResult> } {
  return { done: new Promise((resolve, reject) => {
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
      if (killOn !== undefined && !killed && stderr.includes(killOn)) {
        killed = true;
        child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, killed }));
  }) };
}

/**
 * After a SIGKILL the journal's lock names a process that is gone: the next command refuses with
 * E_LOCK_STALE (never breaks it silently), and `ganeti-merge unlock --journal --yes` clears it.
 */
export async function clearStaleJournalLock(journal: string, retry: string[]): Promise<void> {
  const refused = await runCli(retry);
  if (refused.code !== 1 || !refused.stderr.includes('E_LOCK_STALE') || !refused.stderr.includes(`ganeti-merge unlock --journal ${journal}`)) {
    throw new Error(`expected E_LOCK_STALE after the kill: ${cliTail(refused)}`);
  }
  const unlock = await runCli(['unlock', '--journal', journal, '--yes']);
  if (unlock.code !== 0 || unlock.stdout.trim() !== `${journal}: unlocked`) throw new Error(`unlock failed: ${cliTail(unlock)}`);
}

/** Exit status and the last lines of stderr, for assertion messages. */
export const cliTail = (r: CliResult) => `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n${r.stderr.split('\n').slice(-25).join('\n')}`;
