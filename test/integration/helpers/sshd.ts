/**
 * Throwaway OpenSSH servers for integration tests: own host key, own authorized_keys, bound to
 * 127.0.0.1 on a free port, logs to a file (tests read it to count logins). Needs root.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const SSHD = '/usr/sbin/sshd';

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export interface KeyPair {
  readonly privatePath: string;
  readonly publicLine: string;
  readonly blob: Buffer;
  /** SHA256 fingerprint as printed by ssh-keygen -lf. */
  readonly fingerprint: string;
}

export function generateKey(dir: string, name: string, options: { type?: string; passphrase?: string } = {}): KeyPair {
  const privatePath = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', options.type ?? 'ed25519', '-N', options.passphrase ?? '', '-C', name, '-f', privatePath]);
  const publicLine = readFileSync(`${privatePath}.pub`, 'utf8').trim();
  const fingerprint = execFileSync('ssh-keygen', ['-lf', `${privatePath}.pub`]).toString().split(' ')[1];
  return { privatePath, publicLine, blob: Buffer.from(publicLine.split(' ')[1], 'base64'), fingerprint };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForBanner(port: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = createConnection({ host: '127.0.0.1', port });
      sock.once('data', (d) => {
        sock.destroy();
        resolve(d.toString().startsWith('SSH-'));
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`sshd on port ${port} did not start within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface TestSshd {
  readonly port: number;
  readonly dir: string;
  readonly hostKey: KeyPair;
  readonly logFile: string;
  readonly authorizedKeysFile: string;
  /** Lines of the sshd log so far. */
  log(): string;
  /** Number of successful logins seen in the log. */
  acceptedLogins(): number;
  stop(): Promise<void>;
}

export interface SshdOptions {
  readonly authorizedKeys: readonly string[];
  readonly logLevel?: 'INFO' | 'VERBOSE' | 'DEBUG1';
  readonly maxSessions?: number;
  /** Extra environment of every session (e.g. a PATH with fake Ganeti commands first). */
  readonly env?: Readonly<Record<string, string>>;
}

export async function startSshd(options: SshdOptions): Promise<TestSshd> {
  const dir = mkdtempSync(path.join(tmpdir(), 'test-sshd-'));
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation directory
  const hostKey = generateKey(dir, 'ssh_host_ed25519_key');
  const authorizedKeysFile = path.join(dir, 'authorized_keys');
  writeFileSync(authorizedKeysFile, options.authorizedKeys.map((k) => `${k}\n`).join(''), { mode: 0o600 });
  const port = await freePort();
  const logFile = path.join(dir, 'sshd.log');
  const config = path.join(dir, 'sshd_config');
  writeFileSync(config, [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey.privatePath}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${authorizedKeysFile}`,
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'AllowTcpForwarding yes',
    `MaxSessions ${options.maxSessions ?? 10}`,
    `LogLevel ${options.logLevel ?? 'VERBOSE'}`,
    // bash sources ~/.bashrc for top-level shells started by sshd; on a developer machine that rc
    // file (pyenv, nvm, ...) can take seconds or hang on a stale lock. SHLVL=1 makes the session's
    // shell level 2, so the tests measure the transport, not the host's interactive setup.
    `SetEnv SHLVL=1${Object.entries(options.env ?? {}).map(([k, v]) => ` ${k}=${v}`).join('')}`,
    '',
  ].join('\n'));
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  const log: Buffer[] = [];
  child.stderr?.on('data', (c: Buffer) => log.push(c));
  let exited = false;
  child.once('exit', () => (exited = true));
  try {
    await waitForBanner(port, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${Buffer.concat(log).toString()}`, { cause: err });
  }
  const text = () => Buffer.concat(log).toString('utf8');
  return {
    port,
    dir,
    hostKey,
    logFile,
    authorizedKeysFile,
    log: text,
    acceptedLogins: () => (text().match(/Accepted publickey for /g) ?? []).length,
    stop: async () => {
      if (!exited) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A private ssh-agent on its own socket, with the given keys loaded. */
export async function startAgent(dir: string, keys: readonly string[]): Promise<{ socket: string; stop(): void }> {
  const socket = path.join(dir, `agent-${process.pid}.sock`);
  const child = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  const until = Date.now() + 5000;
  for (;;) {
    try {
      execFileSync('ssh-add', ['-l'], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      break;
    } catch (err) {
      // exit 1 = agent up but empty; 2 = cannot connect yet
      if ((err as { status?: number }).status === 1) break;
      if (Date.now() > until) throw new Error('ssh-agent did not start', { cause: err });
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  for (const key of keys) execFileSync('ssh-add', ['-q', key], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
  return { socket, stop: () => child.kill('SIGTERM') };
}
