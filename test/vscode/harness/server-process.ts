import { spawn } from 'child_process';
import * as fs from 'fs';
import { node24 } from './paths';

/** A VS Code (or code-server) process started by a test run; stop() ends it and everything it spawned. */
export interface ServerProcess {
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  script: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Polled until it answers 2xx. */
  readyUrl: string;
  readyTimeoutMs?: number;
}

export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  const log = fs.openSync(options.logFile, 'a');
  // Its own process group, so stop() also reaches the extension hosts and other children it forks.
  const child = spawn(node24, [options.script, ...options.args], {
    env: options.env,
    detached: true,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`could not start ${node24} ${options.script}`);
  }
  const killGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  // Runs even when the runner fails or is interrupted (see exitOnSignals), so no server outlives it;
  // prepended so that it runs before the scratch folder the server writes into is deleted.
  const onExit = (): void => killGroup('SIGKILL');
  process.prependOnceListener('exit', onExit);

  let exitCode: number | null = null;
  const exited = new Promise<void>((resolve) => child.once('exit', (code) => { exitCode = code ?? -1; resolve(); }));
  const stop = async (): Promise<void> => {
    process.removeListener('exit', onExit);
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    killGroup('SIGKILL'); // children that ignored SIGTERM
  };

  try {
    await waitUntilReady(options.readyUrl, options.readyTimeoutMs ?? 60_000, () => exitCode);
  } catch (error) {
    await stop();
    const tail = fs.readFileSync(options.logFile, 'utf8').split('\n').slice(-30).join('\n');
    throw new Error(`${(error as Error).message}\n--- last lines of ${options.logFile} ---\n${tail}`, { cause: error });
  }
  return { pid, logFile: options.logFile, stop };
}

async function waitUntilReady(url: string, timeoutMs: number, exitCode: () => number | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode() !== null) {
      throw new Error(`server exited with code ${exitCode()} before answering ${url}`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`server did not answer ${url} within ${timeoutMs / 1000} s`);
}

/** Turns Ctrl-C and kill into a normal exit, so the 'exit' handlers above stop the servers. */
export function exitOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1)));
  }
}
